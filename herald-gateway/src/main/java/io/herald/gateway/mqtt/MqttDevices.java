package io.herald.gateway.mqtt;

import io.herald.core.device.DeviceStore;
import io.herald.core.event.Events;
import io.herald.core.limit.LoginThrottle;
import io.herald.core.security.SecretHasher;
import io.herald.core.security.SecretVerifier;
import io.herald.core.session.SessionEvents;
import io.herald.gateway.handler.DeviceStage;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.SessionOpener;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.pipeline.WebSocketEndpoint;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.session.DeviceSession;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT side of a gateway, wired once: the protocol for the MQTT TCP listener and for MQTT over WebSocket, over the
 * gateway's own sessions, delivery, upstream handlers and limits (the device stage parts it is given).
 */
public final class MqttDevices implements AutoCloseable {
    /**
     * Room an MQTT packet gets beyond the gateway's frame body limit, for its fixed header, topic and properties: a
     * payload that fits a Herald frame fits an MQTT packet.
     */
    public static final int PACKET_OVERHEAD_BYTES = 512;
    /** Secret checks are a registry lookup and a slow hash; they run here, off the event loops. */
    private static final int CREDENTIAL_THREADS = 2;
    /** Devices whose verified secret is remembered, so a reconnect skips the slow hash (as for HTTP logins). */
    private static final int REMEMBERED_SECRETS = 100_000;

    /** What MQTT needs of the gateway. */
    public record Parts(DeviceStage.Parts stage, DeviceAuthenticator tokens, DeviceStore devices, SessionOpener opener,
                        Disconnector disconnector, GatewayMetrics metrics, MeterRegistry meters, Clock clock,
                        ChannelRegistry registry, SessionEvents sessionEvents, Events events) {
    }

    private final ExecutorService credentialChecks;
    private final MqttProtocol tcp;
    private final MqttProtocol webSocket;
    private final WebSocketEndpoint endpoint;

    public MqttDevices(MqttSettings settings, Parts parts, Duration heartbeat, int maxFrameBody, int receiveMaximum) {
        this.credentialChecks = Executors.newFixedThreadPool(CREDENTIAL_THREADS, r -> {
            Thread thread = new Thread(r, "herald-mqtt-credentials");
            thread.setDaemon(true);
            return thread;
        });
        int maxPacket = maxFrameBody + PACKET_OVERHEAD_BYTES;
        MqttCredentials credentials = new MqttCredentials(parts.tokens(), parts.devices(),
                new SecretVerifier(new SecretHasher(SecretHasher.DEFAULT_ITERATIONS), REMEMBERED_SECRETS),
                new LoginThrottle(LoginThrottle.DEFAULT_FAILURES_PER_CLIENT, LoginThrottle.DEFAULT_FAILURES_PER_ADDRESS,
                        parts.clock()), credentialChecks);
        MqttConnectHandler gate = new MqttConnectHandler(credentials, parts.opener(), parts.disconnector(),
                parts.metrics(), heartbeat);
        // Maximum Packet Size counts the whole packet: the fixed header adds at most 5 bytes to the remaining length.
        MqttAdapter adapter = new MqttAdapter(new MqttInbound(parts.disconnector(), parts.metrics(), parts.clock()),
                new MqttOutbound(new MqttOutbound.ServerLimits(maxPacket + 5, receiveMaximum)), parts.disconnector(),
                new WillEvents(parts.meters(), parts.events(), parts.registry(), parts.sessionEvents()));
        DeviceStage.Parts stageParts = parts.stage().withEncoder(new MeteredFramePassThrough(parts.metrics()));
        this.tcp = new MqttProtocol(new DeviceStage(stageParts, DeviceSession.MQTT_TRANSPORT), gate, adapter,
                maxPacket, DeviceSession.MQTT_TRANSPORT);
        String wsTransport = DeviceSession.MQTT_TRANSPORT + "-websocket";
        this.webSocket = new MqttProtocol(new DeviceStage(stageParts, wsTransport), gate, adapter, maxPacket,
                wsTransport);
        // a WebSocket message holds at most one maximal packet (MQTT over WebSocket may split one over several)
        this.endpoint = new WebSocketEndpoint(settings.wsPath(), "mqtt", maxPacket + 5, webSocket::switchTo);
    }

    /** MQTT over the MQTT TCP listener. */
    public MqttProtocol tcp() {
        return tcp;
    }

    /** MQTT at its path on the WebSocket listener. */
    public WebSocketEndpoint webSocketEndpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        credentialChecks.shutdown();
        try {
            credentialChecks.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
