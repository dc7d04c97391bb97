package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone nodes serving TLS on device TCP, WebSocket and HTTP with certificates from a private CA, and clients
 * that check them for real (they trust that CA, and hostnames are verified): the SDK over TLS TCP and wss, clients
 * that do not trust the certificate, plain text sent to a TLS port, and a certificate that names the wrong host.
 */
@ExtendWith(NettyLeakWatch.class)
class TlsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static StandaloneFixture herald;
    /** Its certificate names only localhost, and it tells devices to reach its gateway as 127.0.0.1. */
    private static StandaloneFixture misnamed;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki(dir);
        herald = new StandaloneFixture(dir.resolve("data"), Duration.ofSeconds(2),
                pki.setup(pki.server("localhost", "localhost", "127.0.0.1"), "localhost", null));
        misnamed = new StandaloneFixture(dir.resolve("misnamed"), Duration.ofSeconds(2),
                pki.setup(pki.server("localhost-only", "localhost"), "localhost", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        herald.close();
        misnamed.close();
    }

    @Test
    void loginOverHttpsTellsDevicesToUseTls() throws Exception {
        herald.register("tls-login");

        JsonNode gateway = JSON.readTree(herald.post("/api/v1/login",
                "{\"clientId\":\"tls-login\",\"secret\":\"" + StandaloneFixture.SECRET + "\"}").body()).get("gateway");

        assertThat(gateway.get("tls").asBoolean()).isTrue();
        assertThat(gateway.get("host").asText()).isEqualTo("localhost");
        assertThat(gateway.get("wsUrl").asText()).isEqualTo("wss://localhost:" + herald.node.wsPort() + "/ws");
    }

    @Test
    void theSdkLogsInOverHttpsAndReceivesAPushOverTlsTcp() throws Exception {
        assertPushArrives("tls-tcp", Transport.TCP, "tcp");
    }

    @Test
    void theSdkReceivesAPushOverWss() throws Exception {
        assertPushArrives("tls-ws", Transport.WEBSOCKET, "websocket");
    }

    @Test
    void aDeviceThatConnectsAgainResumesItsTlsSessionOverTcpAndWss() throws Exception {
        for (Transport transport : Transport.values()) {
            String clientId = "tls-resume-" + transport.name().toLowerCase(Locale.ROOT);
            assertPushArrives(clientId, transport, transport == Transport.TCP ? "tcp" : "websocket");
            double resumedBefore = handshakes("true");
            double fullBefore = handshakes("false");

            // the same device again through the same ClientResources, whose TLS context keeps the session
            assertPushArrives(clientId, transport, transport == Transport.TCP ? "tcp" : "websocket");

            assertThat(handshakes("true")).as(transport + ": resumed handshakes").isEqualTo(resumedBefore + 1);
            assertThat(handshakes("false")).as(transport + ": full handshakes").isEqualTo(fullBefore);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshakeAndTheGatewaySurvives() throws Exception {
        double rejectedBefore = handshakeFailures("rejected");
        SSLContext jvmTrust = SSLContext.getDefault();
        try (SSLSocket socket = (SSLSocket) jvmTrust.getSocketFactory().createSocket("127.0.0.1",
                herald.node.tcpPort())) {
            socket.setSoTimeout(5_000);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        await().atMost(WAIT).until(() -> handshakeFailures("rejected") > rejectedBefore);

        // the SDK with the JVM's trust store: its HTTPS login fails on the certificate, and it keeps trying
        RecordingListener untrusting = new RecordingListener();
        HeraldClient refused = HeraldClient.create(herald.resources, HeraldClientOptions.builder()
                .apiUrl(herald.apiUrl()).clientId("tls-untrusting").secret(StandaloneFixture.SECRET)
                .registerIfMissing(true).build(), untrusting);
        try {
            refused.start();
            await().atMost(WAIT).until(() -> !untrusting.errors.isEmpty());
            assertThat(untrusting.errors.get(0)).hasStackTraceContaining("PKIX path building failed");
            assertThat(refused.isConnected()).isFalse();
        } finally {
            refused.close();
        }

        assertPushArrives("tls-after-refusal", Transport.TCP, "tcp");
    }

    @Test
    void plainTextToATlsPortIsClosed() throws Exception {
        double rejectedBefore = handshakeFailures("rejected");
        // an AUTH frame header as a device without TLS would send it, and an HTTP upgrade to the WebSocket port
        assertClosedAfterSending(herald.node.tcpPort(), new byte[] {'H', 'R', 'L', 'D', 1, 1, 0, 0, 0, 0, 0, 4});
        assertClosedAfterSending(herald.node.wsPort(), ("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        await().atMost(WAIT).until(() -> handshakeFailures("rejected") >= rejectedBefore + 2);
        assertPushArrives("tls-after-plain", Transport.WEBSOCKET, "websocket");
    }

    @Test
    void aGatewayWhoseCertificateDoesNotNameItsHostIsRefusedOverTcpAndWss() {
        for (Transport transport : Transport.values()) {
            RecordingListener listener = new RecordingListener();
            HeraldClient device = misnamed.client("wrong-name-" + transport.name().toLowerCase(Locale.ROOT),
                    listener, transport);
            device.start();

            await().atMost(WAIT).until(() -> !listener.errors.isEmpty());
            assertThat(listener.errors.get(0)).hasStackTraceContaining("No subject alternative names matching IP"
                    + " address 127.0.0.1");
            assertThat(device.isConnected()).isFalse();
            device.close();
        }
    }

    @Test
    void anApiWhoseCertificateDoesNotNameItsHostIsRefused() {
        RecordingListener listener = new RecordingListener();
        HeraldClient device = HeraldClient.create(misnamed.resources, misnamedOptions("wrong-api-name")
                .apiUrl("https://127.0.0.1:" + misnamed.node.httpPort()).build(), listener);
        device.start();

        await().atMost(WAIT).until(() -> !listener.errors.isEmpty());
        assertThat(listener.errors.get(0)).hasStackTraceContaining("No subject alternative names matching IP"
                + " address 127.0.0.1");
        device.close();
    }

    @Test
    void withHostnameVerificationOffTheSameChainIsAccepted() throws Exception {
        HeraldClient device = HeraldClient.create(misnamed.resources,
                misnamedOptions("name-unchecked").tlsHostnameVerification(false).build(), new RecordingListener());

        device.start().get(10, TimeUnit.SECONDS);

        assertThat(device.isConnected()).isTrue();
        device.close();
    }

    private static void assertPushArrives(String clientId, Transport transport, String transportName)
            throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient device = herald.client(clientId, listener, transport);
        device.start().get(10, TimeUnit.SECONDS);

        assertThat(herald.push("{\"to\":\"" + clientId + "\",\"payload\":\"over tls\",\"qos\":1}").statusCode())
                .isEqualTo(202);

        await().atMost(WAIT).until(() -> listener.messages.size() == 1);
        assertThat(listener.texts()).containsExactly("over tls");
        JsonNode info = JSON.readTree(herald.get("/api/v1/devices/" + clientId).body());
        assertThat(info.get("transport").asText()).isEqualTo(transportName);
        device.close();
    }

    /** The bytes reach a TLS port, which closes the connection instead of answering in plain text. */
    private static void assertClosedAfterSending(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[4096];
            int read;
            try {
                do {
                    read = in.read(answer);
                    // anything that comes back is a TLS record (an alert), never plain text
                    assertThat(read <= 0 || answer[0] == 0x15 || answer[0] == 0x16).as("TLS record type").isTrue();
                } while (read >= 0);
            } catch (SocketException reset) {
                // closed with a reset: closed all the same
            }
        }
    }

    /** {@code herald_tls_handshake_failures_total} with this reason, from /metrics. */
    private static double handshakeFailures(String reason) throws Exception {
        return counter("herald_tls_handshake_failures_total", "reason=\"" + reason + "\"");
    }

    /** {@code herald_tls_handshakes_total} that resumed ("true") or not ("false"), from /metrics. */
    private static double handshakes(String resumed) throws Exception {
        return counter("herald_tls_handshakes_total", "resumed=\"" + resumed + "\"");
    }

    private static double counter(String name, String label) throws Exception {
        return herald.get("/metrics").body().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static HeraldClientOptions.Builder misnamedOptions(String clientId) {
        return HeraldClientOptions.builder().apiUrl(misnamed.apiUrl()).clientId(clientId)
                .secret(StandaloneFixture.SECRET).registerIfMissing(true).tlsTrust(dir.resolve("ca.pem"));
    }
}
