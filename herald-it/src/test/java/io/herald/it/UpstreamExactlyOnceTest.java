package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.core.message.UpstreamMessage;
import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices on two gateways send QoS 1 messages up through the SDK; each gateway acks a message once Kafka has it,
 * and the archiver stores it. The archiver is closed and started again while the devices are sending. In the end
 * the database holds every acknowledged message, each (client id, message id) once.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class UpstreamExactlyOnceTest {
    private static final Logger log = LoggerFactory.getLogger(UpstreamExactlyOnceTest.class);
    private static final int DEVICES = 4;
    private static final int MESSAGES_PER_DEVICE = 250;
    /** Each device keeps this many sends in flight. */
    private static final int WINDOW = 10;
    private static final Duration SEND_WAIT = Duration.ofSeconds(60);
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArchiveDatabase.Server.class)
    void everyAckedMessageIsArchivedExactlyOnceAcrossAnArchiverRestart(ArchiveDatabase.Server server,
                                                                        KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(server);
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        ExecutorService senderThreads = Executors.newFixedThreadPool(DEVICES);
        try {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-up-1", "gw-up-2"),
                    List.of(RoutingStrategies.ROUND_ROBIN), true);
            List<Device> senders = devices.connectAll(IntStream.rangeClosed(1, DEVICES)
                    .mapToObj(i -> "sensor-" + i).toList(), cluster.api(0));
            TestCluster running = cluster;
            Set<String> gatewaysUsed = senders.stream().map(d -> running.gatewayIdOf(d.gateway()))
                    .collect(Collectors.toSet());
            assertThat(gatewaysUsed).as("gateways the senders are on").hasSize(2);

            int total = DEVICES * MESSAGES_PER_DEVICE;
            AckedUpstream acked = new AckedUpstream();
            long started = System.nanoTime();
            List<CompletableFuture<Void>> streams = senders.stream()
                    .map(device -> CompletableFuture.runAsync(
                            () -> acked.send(device, MESSAGES_PER_DEVICE, WINDOW, Duration.ZERO), senderThreads))
                    .toList();

            await().atMost(SEND_WAIT).until(() -> acked.count() >= total / 2);
            long archivedAtRestart = database.rowCount();
            Duration restart = cluster.restartArchiver();
            int ackedAtRestart = acked.count();
            CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
                    .get(SEND_WAIT.toSeconds(), TimeUnit.SECONDS);
            long sentMillis = Math.max(1, Duration.ofNanos(System.nanoTime() - started).toMillis());
            log.info("[{}] {} devices on {} sent {} QoS 1 messages, all acked, in {} ms ({} msg/s); archiver closed"
                    + " and restarted in {} ms after {} acks, {} archived", server, DEVICES, gatewaysUsed, total,
                    sentMillis, total * 1000L / sentMillis, restart.toMillis(), ackedAtRestart, archivedAtRestart);
            assertThat(acked.distinct()).isEqualTo(total);
            assertThat(archivedAtRestart).as("archived before the restart: the new archiver has work left")
                    .isLessThan(total);

            long archiving = System.nanoTime();
            await().atMost(ARCHIVE_WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> database.rowCount() >= total);
            log.info("[{}] all {} archived {} ms after the last ack", server, total,
                    Duration.ofNanos(System.nanoTime() - archiving).toMillis());

            List<UpstreamMessage> rows = database.rows();
            acked.assertArchivedExactlyOnce(rows);
            assertThat(cluster.archiver().archiver().isRunning()).isTrue();
        } finally {
            senderThreads.shutdownNow();
            Closing.inOrder(devices, cluster, database, services);
        }
    }
}
