package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.security.InMemoryTokenStore;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket handshake over a raw socket: only RFC 6455 (version 13) on the gateway's path is upgraded; older
 * drafts and other paths get an HTTP answer and a close, at once (not at the auth timeout).
 */
class WebSocketHandshakeSocketTest {
    /** Far below the auth timeout (10 s): an answer must come at once. */
    private static final int READ_TIMEOUT_MILLIS = 3_000;
    private Gateway gateway;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = SocketGateways.start(GatewaySettings.defaults("gw-ws").withPorts("127.0.0.1", -1, 0),
                new InMemoryTokenStore(Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void version13OnThePathIsUpgraded() throws Exception {
        for (String path : new String[] {"/ws", "/ws?device=1"}) {
            try (Socket socket = connect()) {
                write(socket, upgrade(path, "13"));

                assertThat(readHead(socket)).startsWith("HTTP/1.1 101");
            }
        }
    }

    @Test
    void anOlderDraftVersionGets426NamingVersion13AndIsClosed() throws Exception {
        for (String version : new String[] {"8", "7"}) {
            try (Socket socket = connect()) {
                write(socket, upgrade("/ws", version));

                String head = readHead(socket);
                assertThat(head).startsWith("HTTP/1.1 426").containsIgnoringCase("sec-websocket-version: 13\r\n");
                assertThat(readToEnd(socket)).as("closed after the answer").doesNotContain("HTTP/1.1 101");
            }
        }
    }

    @Test
    void aHixie76HandshakeIsRefusedWith400AndClosed() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "GET /ws HTTP/1.1\r\nHost: gateway\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                    + "Origin: http://example.com\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                    + "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U");

            assertThat(readHead(socket)).startsWith("HTTP/1.1 400");
            assertThat(readToEnd(socket)).doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void anUpgradeOnAnotherPathGets404AtOnceAndIsClosed() throws Exception {
        try (Socket socket = connect()) {
            write(socket, upgrade("/elsewhere", "13"));

            assertThat(readHead(socket)).startsWith("HTTP/1.1 404");
            assertThat(readToEnd(socket)).isEqualTo("no WebSocket endpoint here; connect to /ws\n");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.wsPort());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static String upgrade(String path, String version) {
        return "GET " + path + " HTTP/1.1\r\nHost: gateway\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
    }

    private static void write(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    }

    private static String readHead(Socket socket) throws IOException {
        return SocketGateways.readHttpHead(socket.getInputStream());
    }

    /** The body of the answer and anything after it, until the gateway closes (a read timeout fails the test). */
    private static String readToEnd(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
}
