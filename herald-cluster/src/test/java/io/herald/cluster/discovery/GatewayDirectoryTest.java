package io.herald.cluster.discovery;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.testing.CuttableProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(60)
class GatewayDirectoryTest {
    private static final Logger log = LoggerFactory.getLogger(GatewayDirectoryTest.class);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ZooKeeperFixture zk;
    private CuratorFramework apiClient;
    private GatewayDirectory directory;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new ZooKeeperFixture();
        apiClient = zk.startClient();
        directory = zk.closeLater(GatewayDirectory.start(apiClient, zk.settings()));
        assertThat(directory.awaitInitialized(WAIT)).as("initializes before the base path exists").isTrue();
        assertThat(directory.live()).isEmpty();
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zk.close();
    }

    @Test
    void aGatewayWhoseProcessDiesDisappearsWithinTheSessionTimeout() throws Exception {
        CuttableProxy link = zk.closeLater(new CuttableProxy(zk.server.getPort()));
        CuratorFramework gatewayClient = zk.startClient(ZooKeeperFixture.settings(link.connectString()));
        GatewayRegistration registration = zk.closeLater(
                GatewayRegistration.start(gatewayClient, zk.settings(), node("gw-1"), () -> 0));
        assertThat(registration.awaitRegistered(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> directory.find("gw-1").isPresent());

        long crash = System.nanoTime();
        link.close(); // the gateway can no longer reach ZooKeeper, and never deregisters

        await().atMost(ZooKeeperFixture.SESSION_TIMEOUT.multipliedBy(2)).until(() -> directory.live().isEmpty());
        Duration gone = Duration.ofNanos(System.nanoTime() - crash);
        log.info("A crashed gateway left the directory {} ms after it lost ZooKeeper (session timeout {} ms)",
                gone.toMillis(), ZooKeeperFixture.SESSION_TIMEOUT.toMillis());
    }

    @Test
    void tellsListenersOfJoinsDataChangesAndLeaves() throws Exception {
        List<String> changes = new CopyOnWriteArrayList<>();
        directory.addListener((previous, current) -> changes.add(previous + "->" + current
                + current.find("gw-a").map(node -> " a=" + node.connections()).orElse("")));
        CuratorFramework admin = zk.startClient();
        String pathA = zk.settings().gatewayPath("gw-a");

        admin.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(pathA, GatewayNodeCodec.encode(node("gw-a")));
        await().atMost(WAIT).until(() -> directory.live().size() == 1);
        admin.setData().forPath(pathA, GatewayNodeCodec.encode(node("gw-a").withConnections(5)));
        await().atMost(WAIT).until(() -> directory.find("gw-a").orElseThrow().connections() == 5);
        admin.delete().forPath(pathA);
        await().atMost(WAIT).until(() -> directory.live().isEmpty());

        assertThat(changes).containsExactly("[]->[gw-a] a=0", "[gw-a]->[gw-a] a=5", "[gw-a]->[]");
    }

    @Test
    void ignoresMalformedNodesAndNodesBelowAGateway() throws Exception {
        CuratorFramework admin = zk.startClient();
        DiscoverySettings settings = zk.settings();
        admin.create().creatingParentsIfNeeded().forPath(settings.gatewayPath("garbage"),
                "{not json".getBytes(StandardCharsets.UTF_8));
        admin.create().forPath(settings.gatewayPath("impostor"), GatewayNodeCodec.encode(node("gw-x")));
        admin.create().forPath(settings.gatewayPath("gw-1"), GatewayNodeCodec.encode(node("gw-1")));
        admin.create().forPath(settings.gatewayPath("gw-1") + "/child", GatewayNodeCodec.encode(node("gw-2")));
        admin.create().forPath(settings.gatewayPath("gw-3"), GatewayNodeCodec.encode(node("gw-3")));

        await().atMost(WAIT).until(() -> directory.live().size() == 2);
        assertThat(directory.live()).extracting(GatewayNode::id).containsExactly("gw-1", "gw-3");
    }
}
