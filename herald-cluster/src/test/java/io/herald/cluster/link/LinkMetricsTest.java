package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An API node's link figures against a real gateway link: each request timed by type and outcome, the links up and
 * down, and the reconnects after the gateway went away.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkMetricsTest {
    private static final LinkSettings SETTINGS = LinkSettings.of("metrics-cluster-secret")
            .withRequestTimeout(Duration.ofSeconds(2))
            .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(100));

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TestGateway gateway;
    private GatewayLinks links;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = TestGateway.start("gw-1", SETTINGS);
        gateway.endpoint().connect("device-1");
        links = GatewayLinks.create("api-1", SETTINGS, registry);
    }

    @AfterEach
    void stop() {
        links.close();
        gateway.close();
    }

    @Test
    void requestsAreTimedByTypeAndOutcome() {
        GatewayLink link = links.link(gateway.node());
        await().atMost(Duration.ofSeconds(5)).until(link::isAuthenticated);
        link.handOver(TestMessages.pushOf(qos1(1), List.of("device-1"))).join();
        link.handOver(TestMessages.pushOf(qos1(2), List.of("device-1"))).join();
        link.find("device-1").join();
        gateway.endpoint().hang(); // hands-over go unanswered
        assertThatThrownBy(() -> link.handOver(TestMessages.pushOf(qos1(3), List.of("device-1"))).join())
                .cause().isInstanceOf(LinkTimeoutException.class);

        assertThat(requests("hand_over", "ok")).isEqualTo(2);
        assertThat(requests("hand_over", "timeout")).isEqualTo(1);
        assertThat(requests("find", "ok")).isEqualTo(1);
        assertThat(requests("kick", "ok")).isZero();
        assertThat(registry.get("herald.link.request.duration").tags("type", "hand_over", "outcome", "ok").timer()
                .totalTime(TimeUnit.NANOSECONDS)).isPositive();
        // Registered up front: a dashboard sees zeros before the first request of a kind.
        assertThat(requests("broadcast", "unavailable")).isZero();
    }

    @Test
    void aGatewayGoingAwayShowsAsALinkDownAndReconnects() throws InterruptedException {
        GatewayLink link = links.link(gateway.node());
        await().atMost(Duration.ofSeconds(5)).until(link::isAuthenticated);
        assertThat(gateways("up")).isEqualTo(1);
        assertThat(gateways("down")).isZero();

        gateway.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateways("down") == 1);
        assertThatThrownBy(() -> link.onlineCount().join()).cause().isInstanceOf(LinkUnavailableException.class);
        assertThat(requests("online_count", "unavailable")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> reconnects() >= 2);

        gateway.restart();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateways("up") == 1);
    }

    private long requests(String type, String outcome) {
        return registry.get("herald.link.request.duration").tags("type", type, "outcome", outcome).timer().count();
    }

    private double gateways(String state) {
        return registry.get("herald.link.gateways").tag("state", state).gauge().value();
    }

    private double reconnects() {
        return registry.get("herald.link.reconnects").tag("gateway", "gw-1").counter().count();
    }
}
