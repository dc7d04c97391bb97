package io.herald.cluster.discovery;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ZooKeeper stops and comes back on the same port, with its data. */
@Timeout(60)
class ZooKeeperOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ZooKeeperFixture zk;
    private CuratorFramework gatewayClient;
    private CuratorFramework adminClient;
    private GatewayDirectory directory;
    private GatewayRegistration registration;

    @BeforeEach
    void registerOneGateway() throws Exception {
        zk = new ZooKeeperFixture();
        gatewayClient = zk.startClient();
        adminClient = zk.startClient();
        CuratorFramework apiClient = zk.startClient();
        registration = zk.closeLater(GatewayRegistration.start(gatewayClient, zk.settings(), node("gw-1"), () -> 3));
        directory = zk.closeLater(GatewayDirectory.start(apiClient, zk.settings()));
        assertThat(registration.awaitRegistered(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> directory.find("gw-1").map(GatewayNode::connections).orElse(-1) == 3);
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zk.close();
    }

    @Test
    void aShortOutageKeepsTheViewAndTheSession() throws Exception {
        long session = Sessions.sessionId(gatewayClient);

        outage(ZooKeeperFixture.SESSION_TIMEOUT.dividedBy(2));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(Sessions.ownerOf(adminClient, registration.path())).isEqualTo(session));
        assertThat(directory.find("gw-1")).isPresent();
    }

    @Test
    void anOutageLongerThanTheSessionTimeoutKeepsTheViewAndRegistersAgain() throws Exception {
        long firstSession = Sessions.sessionId(gatewayClient);

        outage(ZooKeeperFixture.SESSION_TIMEOUT.plusSeconds(1));

        await().atMost(WAIT).untilAsserted(() -> {
            long session = Sessions.sessionId(gatewayClient);
            assertThat(session).isNotEqualTo(firstSession);
            assertThat(Sessions.ownerOf(adminClient, registration.path())).isEqualTo(session);
            assertThat(directory.find("gw-1")).isPresent();
        });
    }

    /** Stops ZooKeeper for the given time, checking that the directory keeps its view throughout. */
    private void outage(Duration length) throws Exception {
        zk.server.stop();
        await().during(length).atMost(length.plusSeconds(5))
                .until(() -> directory.live().equals(List.of(node("gw-1").withConnections(3))));
        zk.server.restart();
    }
}
