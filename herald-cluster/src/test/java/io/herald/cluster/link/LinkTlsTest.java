package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.link.server.LinkServer;
import io.herald.cluster.link.tls.LinkTls;
import io.herald.cluster.link.tls.PlainLinkGuard;
import io.herald.cluster.testing.TestCertificates;
import io.herald.core.tls.TlsKeyMaterial;
import java.net.Socket;
import java.time.Duration;
import io.herald.core.push.HandedOver;
import java.util.List;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The link over TLS, end to end on loopback: a real {@link LinkServer} and {@link GatewayLinks}, certificates from a
 * CA made for the test, the gateway's name checked against the address connected to (127.0.0.1). Every
 * misconfiguration must fail within the auth timeout, say why on both sides, and leak nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkTlsTest {
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    private static final LinkSettings PLAIN = LinkSettings.of("the-link-tls-cluster-secret")
            .withAuthTimeout(AUTH_TIMEOUT)
            .withReconnectDelays(Duration.ofSeconds(5), Duration.ofSeconds(5));

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    private final TestCertificates ca = new TestCertificates("Link Test CA");
    private final TlsKeyMaterial gatewayKey = ca.issue("gateway.internal", TestGateway.HOST);
    private final ListAppender<ILoggingEvent> serverLog = new ListAppender<>();
    private TestGateway gateway;

    @BeforeEach
    void captureServerLog() {
        serverLog.list = new CopyOnWriteArrayList<>(); // read by the test while the event loop appends
        serverLog.start();
        logger(LinkServer.class).addAppender(serverLog);
        logger(PlainLinkGuard.class).addAppender(serverLog);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        logger(LinkServer.class).detachAppender(serverLog);
        logger(PlainLinkGuard.class).detachAppender(serverLog);
    }

    @Test
    void aPushMakesTheRoundTripWithTheGatewaysNameChecked() throws Exception {
        gateway = TestGateway.start("gw-tls", tlsServer(List.of()));

        try (GatewayLinks links = GatewayLinks.create("api-1", tlsClient(ca, null))) {
            List<HandedOver> result = links.link(gateway.node())
                    .handOver(TestMessages.pushOf(qos1(1), List.of("device-1"))).get(5, TimeUnit.SECONDS);

            assertThat(result).as("one answer for the one push").hasSize(1);
            assertThat(gateway.endpoint().pushes()).hasSize(1);
        }
    }

    @Test
    void aGatewayCertificateFromAnotherCaIsRefusedAndTheLinkReportedUnavailable() throws Exception {
        gateway = TestGateway.start("gw-tls", tlsServer(List.of()));

        assertFailsWithin(tlsClient(new TestCertificates("Another CA"), null), "TLS with gateway gw-tls",
                "PKIX path");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(warnings())
                .anyMatch(line -> line.contains("refusing link from") && line.contains("TLS failed")));
        assertThat(gateway.endpoint().pushes()).isEmpty();
    }

    @Test
    void aCertificateThatDoesNotNameTheAddressConnectedToIsRefused() throws Exception {
        gateway = TestGateway.start("gw-tls", PLAIN.withTls(LinkTls.OFF.withServer(ca.issue("localhost"), List.of())));

        assertFailsWithin(tlsClient(ca, null), "TLS with gateway gw-tls", "127.0.0.1");
        assertThat(gateway.endpoint().pushes()).isEmpty();
    }

    @Test
    void aPlainApiNodeAtATlsGatewayFailsWithinTheAuthTimeoutOnBothSides() throws Exception {
        gateway = TestGateway.start("gw-tls", tlsServer(List.of()));

        assertFailsWithin(PLAIN, "gateway gw-tls", "it sent no CHALLENGE: does its link speak TLS");
        // Both ends wait the same auth timeout: whichever gives up first, the gateway says there was no handshake.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(warnings())
                .anyMatch(line -> line.contains("TLS failed: no TLS handshake")
                        && line.contains("is TLS on at the other end of the link?")));
    }

    @Test
    void aPeerThatClosesBeforeAnyHandshakeIsNamedAsSuch() throws Exception {
        gateway = TestGateway.start("gw-tls", tlsServer(List.of()));

        try (Socket peer = new Socket(TestGateway.HOST, gateway.port())) {
            peer.getOutputStream().flush(); // connects, says nothing, and closes: a plain API node giving up
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(warnings())
                .anyMatch(line -> line.contains("TLS failed: no TLS handshake: the other end closed the connection")));
    }

    @Test
    void aTlsApiNodeAtAPlainGatewayFailsAtOnceOnBothSides() throws Exception {
        gateway = TestGateway.start("gw-plain", PLAIN);

        assertFailsWithin(tlsClient(ca, null), "TLS with gateway gw-plain", "does not speak TLS");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(warnings())
                .anyMatch(line -> line.contains("it speaks TLS but this gateway's link is plain")));
    }

    @Test
    void withMutualTlsOnlyAnApiNodeWithATrustedCertificateGetsIn() throws Exception {
        TestCertificates apiCa = new TestCertificates("API nodes CA");
        gateway = TestGateway.start("gw-mtls", tlsServer(apiCa.trust()));

        assertFailsWithin(tlsClient(ca, null), "TLS with gateway gw-mtls", "mutual TLS");
        assertFailsWithin(tlsClient(ca, ca.issue("api-1")), "TLS with gateway gw-mtls", "mutual TLS");
        try (GatewayLinks links = GatewayLinks.create("api-1", tlsClient(ca, apiCa.issue("api-1")))) {
            assertThat(links.link(gateway.node()).onlineCount().get(5, TimeUnit.SECONDS)).isZero();
        }
    }

    /** The push fails with LinkUnavailableException naming the cause, well within the request timeout. */
    private void assertFailsWithin(LinkSettings client, String message, String cause) {
        try (GatewayLinks links = GatewayLinks.create("api-1", client)) {
            GatewayLink link = links.link(gateway.node());
            long start = System.nanoTime();

            assertThatThrownBy(() -> link.handOver(TestMessages.pushOf(qos1(2), List.of("device-1"))).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(LinkUnavailableException.class)
                    .hasMessageContaining(message).hasMessageContaining(cause);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AUTH_TIMEOUT.plusSeconds(2));
            assertThat(link.isAuthenticated()).isFalse();
        }
    }

    private LinkSettings tlsServer(List<X509Certificate> clientTrust) {
        return PLAIN.withTls(LinkTls.OFF.withServer(gatewayKey, clientTrust));
    }

    private static LinkSettings tlsClient(TestCertificates trusted, TlsKeyMaterial clientKey) {
        return PLAIN.withTls(LinkTls.OFF.withClient(trusted.trust(), clientKey));
    }

    private List<String> warnings() {
        return serverLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }
}
