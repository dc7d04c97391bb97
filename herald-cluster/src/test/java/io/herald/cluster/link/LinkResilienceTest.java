package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import io.herald.core.push.HandedOver;
import io.herald.core.push.DevicePush;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timeouts, dropped and refused connections, reconnects, and links leaving with their gateway. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkResilienceTest {
    private static final LinkSettings SETTINGS = LinkSettings.of("resilience-cluster-secret")
            .withRequestTimeout(Duration.ofMillis(500))
            .withReconnectDelays(Duration.ofMillis(20), Duration.ofMillis(100));

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    private TestGateway gateway;
    private GatewayLinks links;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = TestGateway.start("gw-1", SETTINGS);
        gateway.endpoint().connect("device-1");
        links = GatewayLinks.create("api-1", SETTINGS);
    }

    @AfterEach
    void stop() {
        links.close();
        gateway.close();
    }

    @Test
    void aRequestTheGatewayNeverAnswersTimesOutAndTheLinkKeepsServing() {
        GatewayLink link = links.link(gateway.node());
        gateway.endpoint().hang();

        long start = System.nanoTime();
        assertThatThrownBy(() -> link.handOver(TestMessages.pushOf(qos1(1), List.of("device-1"))).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(LinkTimeoutException.class)
                .hasMessageContaining("gateway gw-1").hasMessageContaining("did not answer HAND_OVER");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(450), Duration.ofSeconds(3));

        assertThat(link.find("device-1").join()).isPresent();
    }

    @Test
    void theLinkReconnectsWhenTheGatewayComesBackOnTheSamePort() throws InterruptedException {
        GatewayLink link = links.link(gateway.node());
        assertThat(link.onlineCount().join()).isEqualTo(1);

        gateway.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !link.isAuthenticated());
        assertThatThrownBy(() -> link.onlineCount().join()).cause().isInstanceOf(LinkUnavailableException.class)
                .hasMessageContaining("gw-1");

        gateway.restart();
        await().atMost(Duration.ofSeconds(5)).until(link::isAuthenticated);
        assertThat(link.handOver(TestMessages.pushOf(qos1(2), List.of("device-1"))).join())
                .containsExactly(new HandedOver(1, List.of()));
        assertThat(links.link(gateway.node())).isSameAs(link);
    }

    @Test
    void requestsToAGatewayNobodyListensAtFailWithoutWaitingForTheirTimeout() throws IOException {
        GatewayNode nowhere = new GatewayNode("gw-nowhere", TestGateway.HOST, 7000, GatewayNode.NO_WEBSOCKET, null,
                unusedPort(), 1, 0, Instant.now());
        GatewayLink link = links.link(nowhere);

        assertThatThrownBy(() -> link.onlineCount().join())
                .cause().isInstanceOf(LinkUnavailableException.class)
                .hasMessageContaining("cannot connect to gateway gw-nowhere");
    }

    @Test
    void manyRequestsOverlapOnOneConnection() {
        int requests = 2_000;
        // Cold code on a busy two-core machine: give the last of the 2,000 room, it waits behind the others.
        LinkSettings patient = SETTINGS.withRequestTimeout(Duration.ofSeconds(10));
        try (GatewayLinks busy = GatewayLinks.create("api-busy", patient)) {
            GatewayLink link = busy.link(gateway.node());

            List<CompletableFuture<List<HandedOver>>> futures = IntStream.range(0, requests).parallel()
                    .mapToObj(i -> link.handOver(TestMessages.pushOf(qos1(1_000 + i), List.of("device-1", "device-x"))))
                    .toList();

            for (int i = 0; i < requests; i++) {
                assertThat(futures.get(i).join()).containsExactly(new HandedOver(1, List.of("device-x")));
            }
        }
        assertThat(gateway.endpoint().pushes()).hasSize(requests);
    }

    @Test
    void aBatchOfOneHundredThousandIdsGoesInOneFrame() {
        List<String> ids = IntStream.range(0, 100_000)
                .mapToObj(i -> String.format("device-%08d", i)).toList();
        gateway.endpoint().connectAll(ids.subList(0, 60_000));
        LinkSettings patient = SETTINGS.withRequestTimeout(Duration.ofSeconds(10));
        try (GatewayLinks own = GatewayLinks.create("api-big", patient)) {
            List<HandedOver> result = own.link(gateway.node()).handOver(TestMessages.pushOf(qos1(3), ids)).join();

            assertThat(result).containsExactly(new HandedOver(60_000, ids.subList(60_000, 100_000)));
        }
        List<DevicePush> pushes = gateway.endpoint().pushes();
        assertThat(pushes).hasSize(1);
        assertThat(pushes.get(0).clientIds()).isEqualTo(ids);
    }

    @Test
    void aFrameOverTheLimitFailsItsRequestAndNotTheLink() {
        List<String> ids = IntStream.range(0, 10_000).mapToObj(i -> "device-" + i).toList();
        try (GatewayLinks small = GatewayLinks.create("api-small",
                SETTINGS.withMaxFrameLength(LinkSettings.MIN_MAX_FRAME_LENGTH))) {
            GatewayLink link = small.link(gateway.node());

            assertThatThrownBy(() -> link.handOver(TestMessages.pushOf(qos1(4), ids)).join()).hasMessageContaining("exceeds the link's maximum");
            assertThat(link.onlineCount().join()).isEqualTo(1);
        }
    }

    @Test
    void aGatewayThatLeavesTheMembershipLosesItsLink() {
        GatewayLink link = links.link(gateway.node());
        links.update(GatewayMembership.of(List.of(gateway.node())));
        assertThat(link.onlineCount().join()).isEqualTo(1);

        links.update(GatewayMembership.EMPTY);

        await().atMost(Duration.ofSeconds(5)).until(() -> !link.isAuthenticated());
        assertThatThrownBy(() -> link.onlineCount().join()).cause().isInstanceOf(LinkUnavailableException.class)
                .hasMessageContaining("closed");
        assertThat(links.link(gateway.node())).as("a new link if it comes back").isNotSameAs(link);
    }

    @Test
    void aGatewayRestartedUnderTheSameIdGetsANewLink() {
        GatewayLink link = links.link(gateway.node());
        GatewayNode restarted = new GatewayNode("gw-1", TestGateway.HOST, 7000, GatewayNode.NO_WEBSOCKET, null,
                gateway.port(), 1, 0, gateway.node().startedAt().plusSeconds(1));

        links.update(GatewayMembership.of(List.of(restarted)));

        GatewayLink renewed = links.link(restarted);
        assertThat(renewed).isNotSameAs(link);
        assertThat(renewed.onlineCount().join()).isEqualTo(1);
        assertThat(links.link(restarted.withConnections(5))).as("a new connection count is the same process")
                .isSameAs(renewed);
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
