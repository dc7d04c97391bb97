package io.herald.cluster.kafka;

import static io.herald.cluster.kafka.ArchiverExactlyOnceTest.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.message.UpstreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag gauge while an archiver works through a backlog, and how fast it does: the measured figure in
 * docs/cluster-kafka.md comes from this test's log line.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(60)
class ArchiverLagTest {
    private static final int CLIENTS = 100;
    private static final int MESSAGES_PER_CLIENT = 100;
    private static final int BACKLOG = CLIENTS * MESSAGES_PER_CLIENT;

    private static final Logger log = LoggerFactory.getLogger(ArchiverLagTest.class);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArchiveDatabase.Server.class)
    void lagCountsTheBacklogAndFallsToZeroOnceCaughtUp(ArchiveDatabase.Server server, KafkaTestBroker broker)
            throws Exception {
        KafkaSettings settings = broker.uniqueSettings();
        List<UpstreamMessage> backlog = DeviceTraffic.interleaved(
                IntStream.rangeClosed(1, CLIENTS).mapToObj(DeviceTraffic::clientId).toList(), MESSAGES_PER_CLIENT);

        try (ArchiveDatabase database = ArchiveDatabase.create(server)) {
            Duration publishing;
            try (KafkaUpstreamPublisher publisher = new KafkaUpstreamPublisher(settings)) {
                publishing = Publishing.publishAll(publisher, backlog, Duration.ofSeconds(30));
            }
            GatedArchive archive = new GatedArchive(database.archive());
            MeterRegistry meters = new SimpleMeterRegistry();
            Duration archiving;
            try (Archiver archiver = Archiver.start(settings, archive, meters)) {
                // The first batch waits at the gate: nothing is archived, so the whole backlog is lag.
                await().atMost(Duration.ofSeconds(20)).until(() -> gauge(meters, ArchiverMetrics.LAG) == BACKLOG);

                long started = System.nanoTime();
                archive.open();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> gauge(meters, ArchiverMetrics.LAG) == 0);
                archiving = Duration.ofNanos(System.nanoTime() - started);
                assertThat(archiver.isRunning()).isTrue();
            }
            log.info("ArchiverLagTest[{}]: {} messages published by one gateway at {} messages/s, archived in "
                            + "batches of {} in {} ms: {} messages/s", server, BACKLOG,
                    Publishing.perSecond(BACKLOG, publishing), settings.archiverBatchSize(), archiving.toMillis(),
                    Publishing.perSecond(BACKLOG, archiving));
            assertThat(database.rowCount()).isEqualTo(BACKLOG);
        }
    }
}
