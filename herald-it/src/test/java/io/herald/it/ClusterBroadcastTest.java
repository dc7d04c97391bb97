package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import io.herald.server.cluster.ClusterGatewayNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three gateways and two API nodes on PostgreSQL, devices on every gateway: one broadcast through an API node
 * reaches each device once — counted at the devices and, on the wire, in the gateways' MESSAGE frames out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class ClusterBroadcastTest {
    private static final Logger log = LoggerFactory.getLogger(ClusterBroadcastTest.class);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int DEVICES = 30;

    private ClusterServices services;
    private ArchiveDatabase database;
    private TestCluster cluster;
    private TestDevices devices;
    private List<Device> fleet;

    @BeforeAll
    void startClusterAndFleet(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.POSTGRESQL);
        cluster = TestCluster.start(services, database.settings(), List.of("gw-a", "gw-b", "gw-c"),
                List.of(RoutingStrategies.ROUND_ROBIN, RoutingStrategies.ROUND_ROBIN), false);
        devices = new TestDevices();
        long started = System.nanoTime();
        fleet = devices.connectAll(IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "fleet-" + i).toList(),
                cluster.api(0));
        log.info("{} devices registered, logged in and connected through API node 1 in {} ms", DEVICES,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @AfterAll
    void stopCluster() throws Exception {
        Closing.inOrder(devices, cluster, database, services);
    }

    @Test
    void everyGatewayHoldsDevices() {
        for (Map.Entry<String, ClusterGatewayNode> gateway : cluster.gateways().entrySet()) {
            assertThat(gateway.getValue().gateway().connectionCount()).as(gateway.getKey()).isPositive();
        }
        log.info("devices per gateway: {}", cluster.gateways().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().gateway().connectionCount()).toList());
        assertThat(cluster.gateways().values().stream().mapToInt(g -> g.gateway().connectionCount()).sum())
                .isEqualTo(DEVICES);
    }

    @Test
    void qos1BroadcastReachesEveryDeviceExactlyOnce() {
        broadcastReachesEveryDeviceOnce(1);
    }

    @Test
    void qos0BroadcastReachesEveryDeviceExactlyOnce() {
        broadcastReachesEveryDeviceOnce(0);
    }

    private void broadcastReachesEveryDeviceOnce(int qos) {
        double framesBefore = messageFramesOut();
        double acksBefore = cluster.gatewayMetric("herald_downstream_acks_total");
        long sent = System.nanoTime();

        PushAnswer answer = cluster.api(1).push("{\"broadcast\":true,\"payload\":\"to everyone, qos " + qos + "\","
                + "\"qos\":" + qos + "}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        long answeredMillis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        await().atMost(WAIT).until(() -> fleet.stream().allMatch(d -> d.listener().countOf(answer.messageId()) >= 1));
        long deliveredMillis = Duration.ofNanos(fleet.stream()
                .mapToLong(d -> d.listener().arrivalNanos(answer.messageId())).max().orElseThrow() - sent).toMillis();
        if (qos == 1) {
            await().atMost(WAIT).until(() -> cluster.gatewayMetric("herald_downstream_acks_total") - acksBefore
                    >= DEVICES);
        }
        log.info("QoS {} broadcast through API node 2: answered in {} ms, at all {} devices on 3 gateways {} ms after"
                + " the request; answer {}", qos, answeredMillis, DEVICES, deliveredMillis, answer.body());
        // Past the first resend interval: a copy the gateways would resend (or a second fan-out) would show now.
        sleep(NodeSettings.RETRY_INTERVAL.plusMillis(500));
        for (Device device : fleet) {
            assertThat(device.listener().countOf(answer.messageId())).as(device.clientId()).isEqualTo(1);
        }
        assertThat(messageFramesOut() - framesBefore).as("MESSAGE frames the gateways wrote").isEqualTo(DEVICES);
        if (qos == 1) {
            assertThat(cluster.gatewayMetric("herald_downstream_acks_total") - acksBefore).isEqualTo(DEVICES);
        }
        assertThat(answer.online()).as(answer.body()).isEqualTo(DEVICES);
    }

    private double messageFramesOut() {
        return cluster.gatewayMetric("herald_frames_out_total", "type=\"MESSAGE\"");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
