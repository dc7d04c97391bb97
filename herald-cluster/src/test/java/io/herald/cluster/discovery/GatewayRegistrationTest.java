package io.herald.cluster.discovery;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class GatewayRegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ZooKeeperFixture zk;
    private CuratorFramework gatewayClient;
    private CuratorFramework apiClient;
    private GatewayDirectory directory;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new ZooKeeperFixture();
        gatewayClient = zk.startClient();
        apiClient = zk.startClient();
        directory = zk.closeLater(GatewayDirectory.start(apiClient, zk.settings()));
        assertThat(directory.awaitInitialized(WAIT)).isTrue();
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zk.close();
    }

    @Test
    void isSeenByAnotherClientWithItsConnectionCountAndLeavesAtOnceOnClose() throws Exception {
        List<GatewayMembership> views = new CopyOnWriteArrayList<>();
        directory.addListener((previous, current) -> views.add(current));
        AtomicInteger connections = new AtomicInteger();
        GatewayRegistration registration = zk.closeLater(
                GatewayRegistration.start(gatewayClient, zk.settings(), node("gw-1"), connections::get));

        assertThat(registration.awaitRegistered(WAIT)).isTrue();
        assertThat(registration.path()).isEqualTo("/herald/gateways/gw-1");
        await().atMost(WAIT).until(() -> directory.find("gw-1").isPresent());
        assertThat(directory.live()).containsExactly(node("gw-1"));

        connections.set(42);
        await().atMost(WAIT).until(() -> directory.find("gw-1").map(GatewayNode::connections).orElse(-1) == 42);
        assertThat(registration.published().connections()).isEqualTo(42);

        long closing = System.nanoTime();
        registration.close();
        assertThat(Sessions.ownerOf(apiClient, registration.path())).as("deleted by close()").isEqualTo(-1);
        await().atMost(WAIT).until(() -> directory.live().isEmpty());
        Duration gone = Duration.ofNanos(System.nanoTime() - closing);
        assertThat(gone).as("gone well before the session timeout").isLessThan(ZooKeeperFixture.SESSION_TIMEOUT
                .dividedBy(2));
        assertThat(gatewayClient.getZookeeperClient().isConnected()).as("the client stays the caller's").isTrue();
        assertThat(views).extracting(GatewayMembership::size).containsSubsequence(1, 0);
        assertThat(views.get(views.size() - 1)).isEqualTo(GatewayMembership.EMPTY);
    }

    @Test
    void isRegisteredAgainAfterItsSessionExpires() throws Exception {
        GatewayRegistration registration = zk.closeLater(
                GatewayRegistration.start(gatewayClient, zk.settings(), node("gw-1"), () -> 7));
        assertThat(registration.awaitRegistered(WAIT)).isTrue();
        long firstSession = Sessions.sessionId(gatewayClient);
        assertThat(Sessions.ownerOf(apiClient, registration.path())).isEqualTo(firstSession);

        Sessions.expireOnServer(gatewayClient, zk.server.getConnectString());

        await().atMost(WAIT).untilAsserted(() -> {
            long session = Sessions.sessionId(gatewayClient);
            assertThat(session).isNotEqualTo(firstSession);
            assertThat(Sessions.ownerOf(apiClient, registration.path())).isEqualTo(session);
        });
        await().atMost(WAIT).until(() -> directory.find("gw-1").isPresent());
    }

    @Test
    void closeTwiceIsHarmless() throws Exception {
        GatewayRegistration registration =
                GatewayRegistration.start(gatewayClient, zk.settings(), node("gw-1"), () -> 0);
        assertThat(registration.awaitRegistered(WAIT)).isTrue();

        registration.close();
        registration.close();

        assertThat(Sessions.ownerOf(apiClient, registration.path())).isEqualTo(-1);
    }
}
