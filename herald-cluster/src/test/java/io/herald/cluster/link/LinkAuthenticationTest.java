package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.link.wire.HandshakeFrame;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkAuthenticationTest {
    private static final LinkSettings SETTINGS = LinkSettings.of("the-right-cluster-secret")
            .withAuthTimeout(Duration.ofMillis(300))
            .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200));

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    private TestGateway gateway;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = TestGateway.start("gw-auth", SETTINGS);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aWrongSecretIsRefusedWithAClearErrorAndLaterRequestsFailFast() {
        LinkSettings wrong = LinkSettings.of("a-wrong-cluster-secret").withReconnectDelays(Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        try (GatewayLinks links = GatewayLinks.create("api-1", wrong)) {
            GatewayLink link = links.link(gateway.node());

            assertThatThrownBy(() -> link.handOver(TestMessages.pushOf(qos1(1), List.of("device-1"))).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(LinkAuthenticationException.class)
                    .hasMessageContaining("gateway gw-auth")
                    .hasMessageContaining("the cluster secret does not match");

            long start = System.nanoTime();
            assertThatThrownBy(() -> link.onlineCount().join())
                    .cause().isInstanceOf(LinkAuthenticationException.class)
                    .hasMessageContaining("the cluster secret does not match");
            // Well under the 5 s reconnect delay: the link reports its last failure instead of waiting for a retry
            // (not tighter: a loaded CI machine can pause this thread for a second).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(gateway.endpoint().pushes()).isEmpty();
        }
    }

    @Test
    void theSecretNeverGoesOnTheWireOnlyAnHmacOfTheNonce() throws Exception {
        try (RawLinkClient client = new RawLinkClient(gateway.port())) {
            HandshakeFrame.Challenge challenge = (HandshakeFrame.Challenge) client.read();
            byte[] answer = SETTINGS.secret().answer(challenge.nonce(), "api-raw");

            client.send(new HandshakeFrame.Auth("api-raw", answer));

            assertThat(client.read()).isEqualTo(HandshakeFrame.AuthOk.INSTANCE);
            assertThat(answer).hasSize(32);
            assertThat(challenge.gatewayId()).isEqualTo("gw-auth");
        }
    }

    @Test
    void anAnswerForAnotherNodeIdIsRefused() throws Exception {
        try (RawLinkClient client = new RawLinkClient(gateway.port())) {
            HandshakeFrame.Challenge challenge = (HandshakeFrame.Challenge) client.read();

            client.send(new HandshakeFrame.Auth("api-2", SETTINGS.secret().answer(challenge.nonce(), "api-1")));

            assertThat(errorCode(client.read())).isEqualTo(LinkErrorCode.AUTH_FAILED);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aRequestBeforeAuthenticationIsRefusedAndNeverServed() throws Exception {
        try (RawLinkClient client = new RawLinkClient(gateway.port())) {
            assertThat(client.read()).isInstanceOf(HandshakeFrame.Challenge.class);

            client.send(new LinkRequest.HandOver(1, TestMessages.pushOf(qos1(1), List.of("device-1"))));

            assertThat(errorCode(client.read())).isEqualTo(LinkErrorCode.NOT_AUTHENTICATED);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(gateway.endpoint().pushes()).isEmpty();
    }

    @Test
    void aSilentConnectionIsClosedAfterTheAuthTimeout() throws Exception {
        try (RawLinkClient client = new RawLinkClient(gateway.port())) {
            assertThat(client.read()).isInstanceOf(HandshakeFrame.Challenge.class);

            assertThat(errorCode(client.read())).isEqualTo(LinkErrorCode.AUTH_TIMEOUT);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anotherGatewayAtTheExpectedAddressIsNotTrusted() {
        GatewayNode stale = new GatewayNode("gw-gone", TestGateway.HOST, 7000, GatewayNode.NO_WEBSOCKET, null,
                gateway.port(), 1, 0, gateway.node().startedAt());
        try (GatewayLinks links = GatewayLinks.create("api-1", SETTINGS)) {
            assertThatThrownBy(() -> links.link(stale).onlineCount().join())
                    .cause().isInstanceOf(LinkAuthenticationException.class)
                    .hasMessageContaining("belongs to gateway gw-auth, not to gateway gw-gone");
        }
    }

    @Test
    void theSecretIsValidated() {
        assertThatThrownBy(() -> ClusterSecret.of("too-short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> ClusterSecret.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClusterSecret.of("sixteen-chars-ok")).hasToString("ClusterSecret[redacted]");
    }

    private static LinkErrorCode errorCode(LinkFrame frame) {
        assertThat(frame).isInstanceOf(LinkError.class);
        return ((LinkError) frame).code();
    }
}
