package io.herald.gateway;

import io.herald.core.device.DeviceIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.message.PushMessage;
import io.herald.core.push.PushTargets;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a session ends when the gateway ends it for the device's silence or its missing ACKs (an ERROR with a
 * documented code before the close, so that a client can tell it from a network failure), and when the device ends it
 * with an ERROR of its own (accepted: the gateway closes without answering). Real sockets.
 */
class SessionEndSocketTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(300);
    private static final Duration RETRY = Duration.ofMillis(100);
    private static final int ATTEMPTS = 3;

    private final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());
    private Gateway gateway;

    @BeforeEach
    void start() throws InterruptedException {
        start(HEARTBEAT);
    }

    private void start(Duration heartbeat) throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        GatewaySettings settings = GatewaySettings.defaults("gw-end").withPorts("127.0.0.1", 0, -1)
                .withTimings(Duration.ofSeconds(5), heartbeat, RETRY)
                .withLimits(GatewaySettings.defaults("gw-end").maxFrameBodyBytes(), 32, 1_000, ATTEMPTS);
        gateway = SocketGateways.start(settings, tokens);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aSilentDeviceGetsIdleTimeoutBeforeTheClose() throws Exception {
        try (Socket device = online("silent")) {
            Frame last = SocketFrames.read(device); // nothing sent: closed after twice the heartbeat

            assertThat(last).isInstanceOf(ErrorFrame.class);
            assertThat(((ErrorFrame) last).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
            assertThat(device.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aDeviceThatNeverAcksGetsAckTimeoutAfterTheLastResend() throws Exception {
        start(Duration.ofSeconds(5)); // the resends (100, 200, 400 ms) end long before the idle close
        try (Socket device = online("forgetful")) {
            gateway.pushService().push(new PushMessage(77, ContentType.TEXT, Qos.AT_LEAST_ONCE,
                    "hi".getBytes(StandardCharsets.UTF_8), null, System.currentTimeMillis(),
                    System.currentTimeMillis() + 60_000), PushTargets.devices(List.of("forgetful"))).join();

            int sends = 0;
            Frame frame;
            while ((frame = SocketFrames.read(device)) instanceof MessageFrame) {
                sends++; // and never acked
            }

            assertThat(sends).isEqualTo(ATTEMPTS);
            assertThat(frame).isInstanceOf(ErrorFrame.class);
            assertThat(((ErrorFrame) frame).code()).isEqualTo(ErrorCode.ACK_TIMEOUT);
            assertThat(((ErrorFrame) frame).reason()).contains("message 77");
        }
    }

    @Test
    void anErrorFromAnAuthenticatedDeviceClosesTheConnectionWithoutAnAnswer() throws Exception {
        try (Socket device = online("decoder-trouble")) {
            SocketFrames.write(device, new ErrorFrame(ErrorCode.MALFORMED_FRAME, "could not decode a frame"));

            assertThat(device.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void anErrorBeforeAuthClosesTheConnectionWithoutAnAnswer() throws Exception {
        try (Socket device = SocketFrames.connect(gateway.tcpPort())) {
            SocketFrames.write(device, new ErrorFrame(ErrorCode.INTERNAL_ERROR, "giving up"));

            assertThat(device.getInputStream().read()).isEqualTo(-1);
        }
    }

    private Socket online(String clientId) throws Exception {
        Socket socket = SocketFrames.connect(gateway.tcpPort());
        SocketFrames.write(socket, new AuthFrame(tokens.issue(new DeviceIdentity(clientId, 0), Duration.ofMinutes(5)).value()));
        assertThat(SocketFrames.read(socket)).isInstanceOf(AuthOkFrame.class);
        return socket;
    }
}
