package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.discovery.ZooKeeperFaults;
import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.RawHttp.Answer;
import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's ZooKeeper server is stopped twice: once for less than the session timeout (3 s), once for longer.
 * While it is down, the API node routes logins and pushes from the view it kept, and the connected devices notice
 * nothing. When it is back, both gateways' nodes are in ZooKeeper again and logins are spread over both.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class ZooKeeperOutageTest {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperOutageTest.class);
    private static final List<String> GATEWAYS = List.of("gw-z1", "gw-z2");
    private static final int DEVICES = 4;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void routingWorksFromTheKeptViewWhileZooKeeperIsDownAndGatewaysRegisterAgain(KafkaTestBroker broker)
            throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        try {
            cluster = TestCluster.start(services, database.settings(), GATEWAYS,
                    List.of(RoutingStrategies.ROUND_ROBIN), false, -1);
            HttpApi api = cluster.api(0);
            api.register("probe");
            List<Device> fleet = devices.connectAll(IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "valve-" + i)
                    .toList(), api);
            Map<Device, List<String>> accepted = new HashMap<>();
            fleet.forEach(d -> accepted.put(d, new ArrayList<>()));
            Duration session = services.sessionTimeout();

            for (Duration outage : List.of(session.dividedBy(2), session.plusSeconds(2))) {
                ZooKeeperFaults.stop(services.zooKeeperFixture());
                long stopped = System.nanoTime();
                int logins = 0;
                int pushes = 0;
                while (System.nanoTime() - stopped < outage.toNanos()) {
                    Answer login = RawHttp.login(api, "probe");
                    assertThat(login.status()).as("login while ZooKeeper is down: " + login).isEqualTo(200);
                    logins++;
                    for (Device device : fleet) {
                        Answer push = RawHttp.push(api, device.clientId(), "zk down");
                        assertThat(push.status()).as("push while ZooKeeper is down: " + push).isEqualTo(202);
                        assertThat(push.online()).as(push.toString()).isEqualTo(1);
                        accepted.get(device).add(push.messageId());
                        pushes++;
                    }
                    Thread.sleep(200);
                }
                ZooKeeperFaults.restart(services.zooKeeperFixture());
                long restarted = System.nanoTime();
                log.info("ZooKeeper down for {} ms (session timeout {} ms): {} logins answered 200 and {} pushes"
                        + " 202 online from the kept view", Duration.ofNanos(restarted - stopped).toMillis(),
                        session.toMillis(), logins, pushes);

                await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> registered(services).containsAll(GATEWAYS));
                log.info("both gateways registered in ZooKeeper {} ms after it restarted",
                        Duration.ofNanos(System.nanoTime() - restarted).toMillis());
                cluster.awaitApiNodesSee(GATEWAYS.size());
                Set<Integer> assigned = new HashSet<>();
                HttpApi running = api;
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                    Answer login = RawHttp.login(running, "probe");
                    if (login.ok()) {
                        assigned.add(com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                                .readTree(login.body()).get("gateway").get("tcpPort").asInt());
                    }
                    return assigned.size() == GATEWAYS.size();
                });
                log.info("logins routed to both gateways again {} ms after ZooKeeper restarted",
                        Duration.ofNanos(System.nanoTime() - restarted).toMillis());
            }

            int total = 0;
            for (Device device : fleet) {
                assertThat(device.listener().disconnects).as(device.clientId() + " disconnects").hasValue(0);
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> accepted.get(device).stream()
                        .allMatch(id -> device.listener().countOf(id) >= 1));
                total += accepted.get(device).size();
            }
            Thread.sleep(300);
            for (Device device : fleet) {
                for (String id : accepted.get(device)) {
                    assertThat(device.listener().countOf(id)).as(device.clientId() + " copies of " + id)
                            .isEqualTo(1);
                }
            }
            log.info("{} pushes accepted while ZooKeeper was down, each delivered once", total);
        } finally {
            Closing.inOrder(devices, cluster, database, services);
        }
    }

    /** The gateway ids with a node in ZooKeeper now, read with a client of the test's own. */
    private static Set<String> registered(ClusterServices services) throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(services.discovery().connectString(),
                2000, 1000, new RetryOneTime(100))) {
            client.start();
            if (!client.blockUntilConnected(2, TimeUnit.SECONDS)) {
                return Set.of();
            }
            String base = services.discovery().basePath();
            if (client.checkExists().forPath(base) == null) {
                return Set.of();
            }
            return new HashSet<>(client.getChildren().forPath(base));
        }
    }
}
