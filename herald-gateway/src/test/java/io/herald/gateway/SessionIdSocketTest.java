package io.herald.gateway;

import io.herald.core.device.DeviceIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.security.InMemoryTokenStore;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.SocketFrames;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session ids are unique per node across its transports and its restarts: the cluster's session registry removes a
 * session only while it holds the same node id and session id, so an id given twice (TCP and WebSocket counted
 * separately from 1, and again from 1 after a restart) let one connection's late close remove another's session.
 */
class SessionIdSocketTest {
    private static final String NODE = "gw-ids";
    private final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());

    @Test
    void noSessionIdRepeatsAcrossTransportsAndARestart() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int start = 0; start < 2; start++) {
            try (Gateway gateway = start()) {
                for (int i = 0; i < 3; i++) {
                    ids.add(tcpSession(gateway, "tcp-" + start + "-" + i));
                    ids.add(webSocketSession(gateway, "ws-" + start + "-" + i));
                }
            }
        }

        assertThat(ids).hasSize(12).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith(NODE + "-")
                .doesNotContain("|"));
    }

    private Gateway start() throws InterruptedException {
        return SocketGateways.start(GatewaySettings.defaults(NODE).withPorts("127.0.0.1", 0, 0), tokens);
    }

    private String tcpSession(Gateway gateway, String clientId) throws Exception {
        try (Socket socket = SocketFrames.connect(gateway.tcpPort())) {
            SocketFrames.write(socket, new AuthFrame(token(clientId)));
            return ((AuthOkFrame) SocketFrames.read(socket)).sessionId();
        }
    }

    /** A raw WebSocket: the upgrade, one masked binary message with AUTH, and the AUTH_OK in the answer. */
    private String webSocketSession(Gateway gateway, String clientId) throws Exception {
        try (Socket socket = SocketFrames.connect(gateway.wsPort())) {
            socket.getOutputStream().write(WebSocketWire.upgradeRequest(gateway.settings().wsPath()));
            InputStream in = socket.getInputStream();
            assertThat(SocketGateways.readHttpHead(in)).startsWith("HTTP/1.1 101");
            byte[] auth = Codec.encodeUntracked(new AuthFrame(token(clientId)));
            socket.getOutputStream().write(WebSocketWire.clientFrame(true, 0, WebSocketWire.BINARY, true, 0x0BAD_CAFE,
                    auth, -1));
            DataInputStream data = new DataInputStream(in);
            int opcode = data.readUnsignedByte() & 0x0F;
            int length = data.readUnsignedByte(); // the server does not mask; AUTH_OK is shorter than 126 bytes
            assertThat(opcode).isEqualTo(WebSocketWire.BINARY);
            byte[] payload = new byte[length];
            data.readFully(payload);
            Frame frame = FrameCodec.decodeBody(payload[2] & 0xFF, payload[3] & 0xFF,
                    Unpooled.wrappedBuffer(payload, 8, payload.length - 8));
            return ((AuthOkFrame) frame).sessionId();
        }
    }

    private String token(String clientId) {
        return tokens.issue(new DeviceIdentity(clientId, 0), Duration.ofMinutes(5)).value();
    }

}
