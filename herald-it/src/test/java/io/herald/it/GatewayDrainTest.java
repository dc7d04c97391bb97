package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import io.herald.server.cluster.ClusterApiNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful counterpart of {@link GatewayFailoverTest}: a gateway stopped on purpose leaves routing at once
 * (not a session timeout later), tells its devices to reconnect within a window, and they move to the other
 * gateway by themselves without being kicked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class GatewayDrainTest {
    private static final Logger log = LoggerFactory.getLogger(GatewayDrainTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration RECONNECT_WINDOW = Duration.ofSeconds(1);
    private static final int DEVICES = 6;

    private ClusterServices services;
    private ArchiveDatabase database;
    private TestCluster cluster;
    private TestDevices devices;

    @BeforeAll
    void startCluster(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.POSTGRESQL);
        // With the ops listener (port 0): the gateway must leave ZooKeeper before it spends time closing anything.
        cluster = TestCluster.start(services, database.settings(), List.of("gw-drain", "gw-keep"),
                List.of(RoutingStrategies.ROUND_ROBIN), false);
        devices = new TestDevices();
    }

    @AfterAll
    void stopCluster() throws Exception {
        Closing.inOrder(devices, cluster, database, services);
    }

    @Test
    void aDrainedGatewayLeavesRoutingAtOnceAndItsDevicesMoveWithoutBeingKicked() {
        HttpApi api = cluster.api(0);
        ClusterApiNode apiNode = cluster.apiNode(0);
        int keepPort = cluster.gateway("gw-keep").tcpPort();
        List<Device> fleet = devices.connectAll(IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "bus-" + i).toList(),
                api);
        List<Device> moving = fleet.stream().filter(d -> "gw-drain".equals(cluster.gatewayIdOf(d.gateway())))
                .toList();
        List<Device> staying = fleet.stream().filter(d -> port(d.gateway()) == keepPort).toList();
        assertThat(moving).as("devices on the gateway to be drained").isNotEmpty();
        assertThat(staying).as("devices on the other gateway").isNotEmpty();

        long stopping = System.nanoTime();
        CompletableFuture<Duration> drain = CompletableFuture.supplyAsync(
                () -> cluster.drainGateway("gw-drain", RECONNECT_WINDOW));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> apiNode.liveGateways() == 1);
        Duration leftRouting = Duration.ofNanos(System.nanoTime() - stopping);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> moving.stream()
                .allMatch(d -> d.client().isConnected() && port(d.gateway()) == keepPort));
        Duration stopTook = drain.join();
        log.info("drained gateway left routing {} ms after the stop began (a crash takes the {} ms session timeout);"
                + " its {} devices were on gw-keep {} ms after it (reconnect window {} ms); the stop took {} ms",
                leftRouting.toMillis(), services.sessionTimeout().toMillis(), moving.size(),
                Duration.ofNanos(moving.stream().mapToLong(d -> d.listener().lastConnectedNanos()).max()
                        .orElseThrow() - stopping).toMillis(), RECONNECT_WINDOW.toMillis(), stopTook.toMillis());
        assertThat(leftRouting).isLessThan(services.sessionTimeout().dividedBy(2));

        for (Device device : moving) {
            assertThat(device.listener().kicks).as(device.clientId() + " kicked").isEmpty();
            assertThat(device.listener().connections).as(device.clientId() + " connections").hasSize(2);
        }
        for (Device device : staying) {
            assertThat(device.listener().connections).as(device.clientId() + " connections").hasSize(1);
        }
        for (Device device : fleet) {
            PushAnswer answer = api.push("{\"to\":\"" + device.clientId() + "\",\"payload\":\"after the drain\","
                    + "\"qos\":1}");
            assertThat(answer.online()).as(device.clientId() + ": " + answer.body()).isEqualTo(1);
            await().atMost(WAIT).until(() -> device.listener().countOf(answer.messageId()) == 1);
        }
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
