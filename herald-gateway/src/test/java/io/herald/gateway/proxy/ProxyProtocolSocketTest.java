package io.herald.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.memory.InMemoryUpstreamArchive;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.core.session.SessionInfo;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.gateway.Gateway;
import io.herald.gateway.GatewayCore;
import io.herald.gateway.GatewaySettings;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.tls.DeviceTls;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.SocketFrames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol on the device listeners, over real loopback sockets: this test plays the balancer (every
 * connection comes from 127.0.0.1) and writes the header nginx or HAProxy would.
 */
class ProxyProtocolSocketTest {
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    private final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(String trusted, DeviceTls tls) throws InterruptedException {
        GatewaySettings settings = GatewaySettings.defaults("gw-proxy").withPorts("127.0.0.1", 0, 0)
                .withTimings(AUTH_TIMEOUT, Duration.ofSeconds(30), Duration.ofSeconds(1))
                .withAbuseLimits(AbuseLimits.DEFAULTS.withMaxConnectionsPerAddress(1)
                        .withProxySources(ProxySources.of(List.of(trusted))));
        gateway = Gateway.start(settings, new GatewayCore.Dependencies(DeviceAuthenticator.inMemory(tokens),
                new InMemoryDeviceStore(), new InMemoryOfflineStore(), new InMemoryUpstreamArchive(), meters,
                Clock.systemUTC(), Map.of()), tls);
    }

    @Test
    void aV1HeaderFromATrustedBalancerNamesTheDevicesAddress() throws Exception {
        start("127.0.0.1", null);
        try (Socket socket = connect()) {
            write(socket, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 7000\r\n");

            assertThat(authenticate(socket, "dev-1")).isInstanceOf(AuthOkFrame.class);
            assertThat(session("dev-1").remoteAddress()).isEqualTo("203.0.113.7:51234");
            assertThat(headers("proxied")).isEqualTo(1);
        }
    }

    @Test
    void aV2HeaderWithAnIpv6SourceIsReadToo() throws Exception {
        start("127.0.0.0/8", null);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(v2Header("2001:db8::7", 4000));

            assertThat(authenticate(socket, "dev-1")).isInstanceOf(AuthOkFrame.class);
            assertThat(session("dev-1").remoteAddress()).isEqualTo("2001:db8:0:0:0:0:0:7:4000");
        }
    }

    @Test
    void thePerAddressLimitCountsTheDevicesNotTheBalancer() throws Exception {
        start("127.0.0.1", null); // at most 1 connection per address
        try (Socket first = connect(); Socket second = connect()) {
            write(first, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 7000\r\n");
            write(second, "PROXY TCP4 198.51.100.9 192.0.2.1 40000 7000\r\n");
            assertThat(authenticate(first, "dev-1")).isInstanceOf(AuthOkFrame.class);
            assertThat(authenticate(second, "dev-2")).isInstanceOf(AuthOkFrame.class);

            try (Socket sameDevice = connect()) {
                write(sameDevice, "PROXY TCP4 203.0.113.7 192.0.2.1 51235 7000\r\n");
                Frame reply = SocketFrames.read(sameDevice);

                assertThat(reply).isInstanceOf(ErrorFrame.class);
                assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(((ErrorFrame) reply).reason()).contains("too many connections from 203.0.113.7");
            }
        }
    }

    @Test
    void aConnectionRefusedForItsAddressIsNotAuthenticatedByTheFrameThatCameWithTheHeader() throws Exception {
        start("127.0.0.1", null); // at most 1 connection per address
        try (Socket first = connect()) {
            write(first, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 7000\r\n");
            assertThat(authenticate(first, "dev-1")).isInstanceOf(AuthOkFrame.class);

            try (Socket sameDevice = connect()) {
                // the header and the AUTH frame in one write: they reach the gateway in one read
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.write("PROXY TCP4 203.0.113.7 192.0.2.1 51235 7000\r\n".getBytes(StandardCharsets.US_ASCII));
                both.write(SocketFrames.encode(auth("dev-2")));
                sameDevice.getOutputStream().write(both.toByteArray());

                Frame reply = SocketFrames.read(sameDevice);
                assertThat(reply).isInstanceOf(ErrorFrame.class);
                assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(endOfStream(sameDevice)).isTrue();
                assertThat(gateway.sessions().find("dev-2")).as("never authenticated").isEmpty();
            }
        }
    }

    @Test
    void aTrustedPeerMayConnectWithoutAHeader() throws Exception {
        start("127.0.0.1", null);
        try (Socket socket = connect()) {
            assertThat(authenticate(socket, "dev-1")).isInstanceOf(AuthOkFrame.class);
            assertThat(session("dev-1").remoteAddress()).startsWith("127.0.0.1:");
            assertThat(headers("absent")).isEqualTo(1);
        }
    }

    @Test
    void aLocalHeaderKeepsThePeersAddress() throws Exception {
        start("127.0.0.1", null);
        try (Socket socket = connect()) {
            write(socket, "PROXY UNKNOWN\r\n"); // what a balancer sends for its own health check

            assertThat(authenticate(socket, "dev-1")).isInstanceOf(AuthOkFrame.class);
            assertThat(session("dev-1").remoteAddress()).startsWith("127.0.0.1:");
            assertThat(headers("local")).isEqualTo(1);
        }
    }

    @Test
    void aMalformedHeaderClosesTheConnection() throws Exception {
        start("127.0.0.1", null);
        try (Socket socket = connect()) {
            write(socket, "PROXY TCP4 203.0.113.999 192.0.2.1 51234 7000\r\n");

            assertThat(endOfStream(socket)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> headers("refused") == 1);
            assertThat(gateway.connectionCount()).isZero();
        }
    }

    @Test
    void aTrustedPeerThatSendsNothingIsClosedAfterTheAuthTimeout() throws Exception {
        start("127.0.0.1", null);
        try (Socket socket = connect()) {
            socket.getOutputStream().write("PROX".getBytes(StandardCharsets.US_ASCII)); // may yet become a header

            assertThat(endOfStream(socket)).isTrue();
            assertThat(headers("refused")).isEqualTo(1);
        }
    }

    @Test
    void anUntrustedPeersHeaderIsNeverRead() throws Exception {
        start("10.0.0.0/8", null); // not this test's 127.0.0.1
        try (Socket socket = connect()) {
            write(socket, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 7000\r\n");
            SocketFrames.write(socket, auth("dev-1"));

            assertThat(endOfStream(socket)).as("the header is garbage to the frame decoder").isTrue();
            assertThat(gateway.sessions().find("dev-1")).isEmpty();
            assertThat(meters.find("herald.proxy.headers").counters()).allMatch(c -> c.count() == 0);
        }
    }

    @Test
    void theHeaderComesBeforeTheTlsHandshake() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.builder().fqdn("localhost").build();
        DeviceTls tls = DeviceTls.of(new TlsKeyMaterial(certificate.key(), List.of(certificate.cert())));
        certificate.delete();
        start("127.0.0.1", tls);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (Socket raw = connect()) {
            write(raw, "PROXY TCP4 203.0.113.7 192.0.2.1 51234 7000\r\n");
            try (SSLSocket secure = (SSLSocket) client.getSocketFactory().createSocket(raw, "localhost",
                    gateway.tcpPort(), true)) {
                secure.startHandshake();

                assertThat(authenticate(secure, "dev-1")).isInstanceOf(AuthOkFrame.class);
                assertThat(session("dev-1").remoteAddress()).isEqualTo("203.0.113.7:51234");
            }
        }
    }

    @Test
    void entriesThatAreNoAddressesAreRefusedByName() {
        assertThatThrownBy(() -> ProxySources.of(List.of("balancer.example.com")))
                .hasMessageContaining("'balancer.example.com' is not an IP address or CIDR block");
        assertThatThrownBy(() -> ProxySources.of(List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33' has a bad prefix length");
        assertThat(ProxySources.of(List.of(" 10.0.0.0/8", "::1")).entries()).containsExactly("10.0.0.0/8", "::1");
    }

    private Socket connect() throws IOException {
        return SocketFrames.connect(gateway.tcpPort());
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private AuthFrame auth(String clientId) {
        return new AuthFrame(tokens.issue(new DeviceIdentity(clientId, 0), Duration.ofMinutes(5)).value());
    }

    private Frame authenticate(Socket socket, String clientId) throws Exception {
        SocketFrames.write(socket, auth(clientId));
        return SocketFrames.read(socket);
    }

    private SessionInfo session(String clientId) {
        return gateway.sessions().find(clientId).orElseThrow();
    }

    private double headers(String result) {
        return meters.get("herald.proxy.headers").tag("result", result).counter().count();
    }

    /** Whether the gateway closes the connection (within the auth timeout and a margin), reading what it sends. */
    private static boolean endOfStream(Socket socket) throws IOException {
        socket.setSoTimeout((int) AUTH_TIMEOUT.toMillis() + 3000);
        try {
            while (socket.getInputStream().read() != -1) {
                // an ERROR frame may come first
            }
            return true;
        } catch (SocketException reset) {
            return true; // closed with unread input: a reset
        }
    }

    private static byte[] v2Header(String source, int sourcePort) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP6, source, "2001:db8::1", sourcePort, 7000));
        ByteBuf encoded = encoder.readOutbound();
        byte[] bytes = new byte[encoded.readableBytes()];
        encoded.readBytes(bytes);
        encoded.release();
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
