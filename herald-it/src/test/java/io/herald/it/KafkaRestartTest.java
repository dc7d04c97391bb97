package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaFaults;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.core.message.UpstreamMessage;
import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices send QoS 1 messages up while the Kafka broker process is stopped and started again on the same port.
 * The gateways' producers have a 3 s delivery timeout: while the broker is down, a message is answered ACK RETRY
 * after that, and the SDK sends it again. When the broker is back every message gets its ACK OK, and the database
 * holds each acknowledged (client id, message id) exactly once.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class KafkaRestartTest {
    private static final Logger log = LoggerFactory.getLogger(KafkaRestartTest.class);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    private static final int DEVICES = 3;
    private static final int MESSAGES_PER_DEVICE = 60;
    private static final int WINDOW = 5;
    /** Between windows: the stream spans the outage instead of finishing before it. */
    private static final Duration PAUSE = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAckedMessageIsArchivedOnceAcrossABrokerRestart(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker, kafka -> kafka.withDeliveryTimeout(DELIVERY_TIMEOUT));
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        ExecutorService senderThreads = Executors.newFixedThreadPool(DEVICES);
        boolean brokerStopped = false;
        try {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-k1", "gw-k2"),
                    List.of(RoutingStrategies.ROUND_ROBIN), true, 0);
            List<Device> senders = devices.connectAll(IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "probe-" + i)
                    .toList(), cluster.api(0));
            AckedUpstream acked = new AckedUpstream();
            List<CompletableFuture<Void>> streams = senders.stream()
                    .map(device -> CompletableFuture.runAsync(
                            () -> acked.send(device, MESSAGES_PER_DEVICE, WINDOW, PAUSE), senderThreads))
                    .toList();

            await().atMost(WAIT).until(() -> acked.count() >= DEVICES * MESSAGES_PER_DEVICE / 4);
            KafkaFaults.stop(broker);
            brokerStopped = true;
            long stopped = System.nanoTime();
            int ackedAtStop = acked.count();
            Thread.sleep(OUTAGE.toMillis());
            int ackedDuringOutage = acked.count() - ackedAtStop;
            KafkaFaults.restart(broker);
            brokerStopped = false;
            long restarted = System.nanoTime();
            log.info("Kafka broker down for {} ms (producer delivery timeout {} ms): {} acks before, {} during",
                    Duration.ofNanos(restarted - stopped).toMillis(), DELIVERY_TIMEOUT.toMillis(), ackedAtStop,
                    ackedDuringOutage);

            CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            int total = DEVICES * MESSAGES_PER_DEVICE;
            double retries = cluster.gatewayMetric("herald_upstream_messages_total", "result=\"retry\"");
            log.info("all {} messages acked {} ms after the broker restarted; the gateways answered ACK RETRY {}"
                    + " times", total, Duration.ofNanos(System.nanoTime() - restarted).toMillis(), (long) retries);
            assertThat(retries).as("ACK RETRY answers while the broker was down").isPositive();
            assertThat(acked.distinct()).isEqualTo(total);

            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> database.rowCount() >= total);
            log.info("all {} archived {} ms after the broker restarted", total,
                    Duration.ofNanos(System.nanoTime() - restarted).toMillis());
            Thread.sleep(1000); // a late duplicate would show now
            List<UpstreamMessage> rows = database.rows();
            acked.assertArchivedExactlyOnce(rows);
        } finally {
            senderThreads.shutdownNow();
            if (brokerStopped) {
                KafkaFaults.restart(broker); // the broker is shared with the run's other test classes
            }
            Closing.inOrder(devices, cluster, database, services);
        }
    }
}
