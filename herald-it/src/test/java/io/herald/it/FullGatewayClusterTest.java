package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway at its capacity ({@code --max-connections}) takes no more devices, and they are not lost: logins skip it
 * once it advertises itself full, a device that reaches it before that is refused with GATEWAY_FULL and logs in
 * again, and it takes devices again once it has room. Consistent hashing would send about half of the ids to it.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class FullGatewayClusterTest {
    private static final Logger log = LoggerFactory.getLogger(FullGatewayClusterTest.class);
    private static final int CAPACITY = 3;
    private static final int DEVICES = 16;

    @Test
    void devicesOverAGatewaysCapacityGoToAnotherAndComeBackWhenItHasRoom(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = TestCluster.start(services, database.settings(), List.of("gw-small", "gw-large"),
                List.of(RoutingStrategies.CONSISTENT_HASH), false, 0, settings -> settings.gatewayId().equals("gw-small")
                        ? settings.withAbuseLimits(settings.abuseLimits().withMaxConnections(CAPACITY)) : settings);
        TestDevices devices = new TestDevices();
        try {
            HttpApi api = cluster.api(0);
            List<Device> connected = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                connected.add(devices.connect("full-" + i, api)); // each returns once it is connected
            }
            int small = cluster.gateway("gw-small").gateway().connectionCount();
            int large = cluster.gateway("gw-large").gateway().connectionCount();
            double refused = cluster.gatewayMetric("herald_limited_total", "limit", "connections");
            log.info("{} devices: {} on gw-small (capacity {}), {} on gw-large; {} refused with GATEWAY_FULL",
                    DEVICES, small, CAPACITY, large, (long) refused);
            assertThat(small).isEqualTo(CAPACITY);
            assertThat(small + large).isEqualTo(DEVICES);
            assertThat(connected).allMatch(device -> device.client().isConnected());

            // Room again: once gw-small publishes it, the next login whose id hashes there lands there.
            Device leaving = connected.stream().filter(d -> "gw-small".equals(cluster.gatewayIdOf(d.gateway())))
                    .findFirst().orElseThrow();
            leaving.client().close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.gateway("gw-small").gateway().connectionCount() == CAPACITY - 1);
            List<String> landed = new ArrayList<>();
            for (int i = 0; i < 40 && cluster.gateway("gw-small").gateway().connectionCount() < CAPACITY; i++) {
                Device next = devices.connect("again-" + i, api);
                landed.add(cluster.gatewayIdOf(next.gateway()));
            }
            assertThat(landed).contains("gw-small");
            assertThat(cluster.gateway("gw-small").gateway().connectionCount()).isEqualTo(CAPACITY);
        } finally {
            Closing.inOrder(devices, cluster, database, services);
        }
    }
}
