package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.core.session.SessionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateways' session publishing against a real Redis: registration, takeover and store notices,
 * compare-and-delete.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSessionEventsTest {

    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis(settings -> settings);

    private final List<String> closedOnGw1 = new CopyOnWriteArrayList<>();
    private final List<String> closedOnGw2 = new CopyOnWriteArrayList<>();
    private final List<String> rereadOnGw1 = new CopyOnWriteArrayList<>();
    private final List<String> rereadOnGw2 = new CopyOnWriteArrayList<>();
    private RedisSessionRegistry registry;
    private SessionNotices noticesGw1;
    private SessionNotices noticesGw2;
    private RedisSessionEvents gw1;
    private RedisSessionEvents gw2;

    @BeforeEach
    void twoGateways() {
        registry = new RedisSessionRegistry(redis.connections());
        noticesGw1 = SessionNotices.listen(redis.connections(), "gw-1", recorder(closedOnGw1, rereadOnGw1));
        noticesGw2 = SessionNotices.listen(redis.connections(), "gw-2", recorder(closedOnGw2, rereadOnGw2));
        gw1 = new RedisSessionEvents(registry, noticesGw1, "gw-1");
        gw2 = new RedisSessionEvents(registry, noticesGw2, "gw-2");
    }

    @AfterEach
    void close() {
        noticesGw1.close();
        noticesGw2.close();
    }

    @Test
    void aConnectedSessionIsFoundOnItsNode() throws Exception {
        gw1.connected("device-1", "conn-a").toCompletableFuture().get(5, TimeUnit.SECONDS);

        Optional<SessionLocation> found = registry.find("device-1").get(5, TimeUnit.SECONDS);
        assertThat(found).map(SessionLocation::nodeId).contains("gw-1");
        assertThat(found).map(SessionLocation::connectionId).contains("conn-a");
    }

    @Test
    void aTakeoverOnAnotherNodeTellsTheOldNodeToCloseExactlyTheOldConnection() throws Exception {
        gw1.connected("device-2", "conn-old").toCompletableFuture().get(5, TimeUnit.SECONDS);

        gw2.connected("device-2", "conn-new").toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> closedOnGw1.contains("device-2/conn-old"));
        assertThat(closedOnGw2).isEmpty();
        assertThat(registry.find("device-2").get(5, TimeUnit.SECONDS)).map(SessionLocation::nodeId).contains("gw-2");
    }

    @Test
    void aReconnectOnTheSameNodeSendsNoNotice() throws Exception {
        gw1.connected("device-3", "conn-1").toCompletableFuture().get(5, TimeUnit.SECONDS);
        gw1.connected("device-3", "conn-2").toCompletableFuture().get(5, TimeUnit.SECONDS);

        // A notice, if one were sent, would arrive well within this; the gateway's own registry closes conn-1.
        Thread.sleep(300);
        assertThat(closedOnGw1).isEmpty();
    }

    @Test
    void theOldConnectionClosingLateDoesNotRemoveTheNewSession() throws Exception {
        gw1.connected("device-4", "conn-old").toCompletableFuture().get(5, TimeUnit.SECONDS);
        gw2.connected("device-4", "conn-new").toCompletableFuture().get(5, TimeUnit.SECONDS);

        gw1.disconnected("device-4", "conn-old");
        gw2.connected("device-5", "conn-x").toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(registry.find("device-4").get(5, TimeUnit.SECONDS)).map(SessionLocation::connectionId)
                .contains("conn-new");
    }

    @Test
    void disconnectingRemovesTheSession() throws Exception {
        gw1.connected("device-6", "conn-1").toCompletableFuture().get(5, TimeUnit.SECONDS);

        gw1.disconnected("device-6", "conn-1");

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("device-6").get().isEmpty());
    }

    @Test
    void aMalformedNoticeIsIgnoredAndTheChannelKeepsWorking() throws Exception {
        redis.connections().sync().publish(redis.connections().keys().takeoverChannel("gw-1"), "no-separator");
        redis.connections().sync().publish(redis.connections().keys().takeoverChannel("gw-1"), "device-7|conn-9");

        await().atMost(Duration.ofSeconds(5)).until(() -> closedOnGw1.contains("device-7/conn-9"));
        assertThat(closedOnGw1).containsExactly("device-7/conn-9");
    }

    @Test
    void theSweeperRemovesTheSessionsOfAGatewayThatLeft() throws Exception {
        gw1.connected("device-8", "conn-1").toCompletableFuture().get(5, TimeUnit.SECONDS);
        gw2.connected("device-9", "conn-2").toCompletableFuture().get(5, TimeUnit.SECONDS);
        GatewayNode node1 = node("gw-1");
        GatewayNode node2 = node("gw-2");

        new DepartedGatewaySweeper(registry).membershipChanged(GatewayMembership.of(List.of(node1, node2)),
                GatewayMembership.of(List.of(node2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("device-8").get().isEmpty());
        assertThat(registry.find("device-9").get(5, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void afterRedisRestartsEmptyTheSessionsArePublishedAgain() throws Exception {
        gw1.connected("device-10", "conn-1").toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<SessionInfo> local = List.of(new SessionInfo("device-10", "conn-1", Instant.now(), "tcp", "1.2.3.4:5", "gw-1"));
        redis.connections().onReconnect(() -> gw1.republish(local));

        redis.server().restart();

        await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> registry.find("device-10").get(1, TimeUnit.SECONDS).isPresent());
        assertThat(registry.find("device-10").get(5, TimeUnit.SECONDS)).map(SessionLocation::connectionId)
                .contains("conn-1");
    }

    @Test
    void aSessionThatEndedLeavingMessagesStoredTellsTheDevicesNewNodeToReadTheStore() throws Exception {
        gw1.connected("device-11", "conn-old").toCompletableFuture().get(5, TimeUnit.SECONDS);
        gw2.connected("device-11", "conn-new").toCompletableFuture().get(5, TimeUnit.SECONDS);

        gw1.storedAfterSession("device-11");

        await().atMost(Duration.ofSeconds(5)).until(() -> rereadOnGw2.contains("device-11"));
        assertThat(rereadOnGw1).isEmpty();
    }

    @Test
    void noStoreNoticeWhenTheDeviceIsOnTheSameNodeOrNowhere() throws Exception {
        gw1.connected("device-12", "conn-2").toCompletableFuture().get(5, TimeUnit.SECONDS);

        gw1.storedAfterSession("device-12"); // its newer session is gw-1's own: the gateway told it directly
        gw1.storedAfterSession("device-13"); // offline: its next session reads the store
        gw2.connected("device-14", "conn-3").toCompletableFuture().get(5, TimeUnit.SECONDS);
        gw1.storedAfterSession("device-14");

        // Notices on one channel arrive in order: once the third is in, the first two would have been too.
        await().atMost(Duration.ofSeconds(5)).until(() -> rereadOnGw2.contains("device-14"));
        assertThat(rereadOnGw1).isEmpty();
        assertThat(rereadOnGw2).containsExactly("device-14");
    }

    @Test
    void anEmptyStoreNoticeIsIgnoredAndTheChannelKeepsWorking() throws Exception {
        redis.connections().sync().publish(redis.connections().keys().storeChangedChannel("gw-1"), "");
        redis.connections().sync().publish(redis.connections().keys().storeChangedChannel("gw-1"), "device-15");

        await().atMost(Duration.ofSeconds(5)).until(() -> rereadOnGw1.contains("device-15"));
        assertThat(rereadOnGw1).containsExactly("device-15");
        assertThat(closedOnGw1).isEmpty();
    }

    private static SessionNotices.Receiver recorder(List<String> closed, List<String> reread) {
        return new SessionNotices.Receiver() {
            @Override
            public void takenOver(String clientId, String connectionId) {
                closed.add(clientId + "/" + connectionId);
            }

            @Override
            public void storeChanged(String clientId) {
                reread.add(clientId);
            }
        };
    }

    private static GatewayNode node(String id) {
        return new GatewayNode(id, "127.0.0.1", 7000, GatewayNode.NO_WEBSOCKET, null, 7200, 1, 0, Instant.now());
    }
}
