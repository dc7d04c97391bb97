package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.message.UpstreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two gateways publish the messages of 100 devices, some twice (a device resends what was not acked before it
 * reconnected, here through the other gateway), while the archiver is stopped twice: once by a crash between an
 * insert and its offset commit, once by a clean close. Every message must end up stored exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(60)
class ArchiverExactlyOnceTest {
    private static final int CLIENTS = 100;
    private static final int MESSAGES_PER_CLIENT = 100;
    /** Messages whose id is a multiple of this are resent through the other gateway. */
    private static final int RESEND_EVERY = 10;
    private static final int BATCH_SIZE = 250;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ArchiverExactlyOnceTest.class);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArchiveDatabase.Server.class)
    void upstreamMessagesFromDevicesOnTwoGatewaysLandExactlyOnceEvenWhenTheArchiverIsRestartedMidStream(
            ArchiveDatabase.Server server, KafkaTestBroker broker) throws Exception {
        KafkaSettings settings = broker.uniqueSettings().withArchiverBatchSize(BATCH_SIZE);
        List<String> gatewayAClients = clients(1);
        List<String> gatewayBClients = clients(2);
        int half = MESSAGES_PER_CLIENT / 2;

        try (ArchiveDatabase database = ArchiveDatabase.create(server);
             KafkaUpstreamPublisher gatewayA = new KafkaUpstreamPublisher(settings);
             KafkaUpstreamPublisher gatewayB = new KafkaUpstreamPublisher(settings)) {
            // Archiver 1 fails once after an insert (and retries), then crashes after the insert of its 4th batch.
            Archiver first = Archiver.start(settings, new FaultyArchive(database.archive(), 2, 4),
                    new SimpleMeterRegistry());
            publishFromBoth(gatewayA, messages(gatewayAClients, 1, half, List.of()),
                    gatewayB, messages(gatewayBClients, 1, half, List.of()));
            await().atMost(Duration.ofSeconds(30)).until(() -> !first.isRunning());
            first.close();
            assertThat(first.failure()).isInstanceOf(FaultyArchive.SimulatedCrash.class);
            long afterCrash = database.rowCount();

            // Archiver 2 replays the crashed batch, catches up with what was published so far, and is closed.
            MeterRegistry secondMeters = new SimpleMeterRegistry();
            long replayed;
            try (Archiver second = Archiver.start(settings, database.archive(), secondMeters)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> count(secondMeters, ArchiverMetrics.ARCHIVED) > 0
                        && gauge(secondMeters, ArchiverMetrics.LAG) == 0);
                assertThat(second.isRunning()).isTrue();
                replayed = (long) count(secondMeters, ArchiverMetrics.DUPLICATES);
            }
            long afterClose = database.rowCount();

            // Archiver 3 runs while the gateways publish the second half and the devices' resends.
            MeterRegistry thirdMeters = new SimpleMeterRegistry();
            List<UpstreamMessage> secondHalfA = messages(gatewayAClients, half + 1, MESSAGES_PER_CLIENT,
                    gatewayBClients);
            List<UpstreamMessage> secondHalfB = messages(gatewayBClients, half + 1, MESSAGES_PER_CLIENT,
                    gatewayAClients);
            int secondHalf = secondHalfA.size() + secondHalfB.size();
            Duration publishing;
            try (Archiver third = Archiver.start(settings, database.archive(), thirdMeters)) {
                publishing = publishFromBoth(gatewayA, secondHalfA, gatewayB, secondHalfB);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50))
                        .until(() -> database.rowCount() == (long) CLIENTS * MESSAGES_PER_CLIENT
                                && gauge(thirdMeters, ArchiverMetrics.LAG) == 0);
                assertThat(third.failure()).isNull();
            }
            int published = CLIENTS * half + secondHalf;
            log.info("ArchiverExactlyOnceTest[{}]: {} published ({} distinct), rows after the crash {}, after the "
                            + "close {}, replayed after the crash {}; second half from two gateways acknowledged "
                            + "at {} messages/s", server, published, CLIENTS * MESSAGES_PER_CLIENT, afterCrash,
                    afterClose, replayed, Publishing.perSecond(secondHalf, publishing));

            assertThat(afterCrash).isPositive();
            assertThat(replayed).as("the crashed batch was stored but not committed, so archiver 2 re-read it")
                    .isPositive();
            assertThat(afterClose).isLessThan((long) CLIENTS * MESSAGES_PER_CLIENT);
            assertStoredExactlyOnce(database);
        }
    }

    private static void assertStoredExactlyOnce(ArchiveDatabase database) {
        List<UpstreamMessage> rows = database.rows();
        // toMap throws on a repeated key: no message is stored twice.
        Map<String, UpstreamMessage> stored = rows.stream().collect(Collectors.toMap(
                ArchiverExactlyOnceTest::key, Function.identity()));
        Map<String, UpstreamMessage> expected = new LinkedHashMap<>();
        for (String client : clients(0)) {
            for (long id = 1; id <= MESSAGES_PER_CLIENT; id++) {
                UpstreamMessage message = DeviceTraffic.message(client, id);
                expected.put(key(message), message);
            }
        }
        assertThat(database.rowCount()).isEqualTo(expected.size());
        assertThat(stored).isEqualTo(expected);
    }

    /** Publishes from both gateways at once; returns when both are acknowledged, after how long. */
    private static Duration publishFromBoth(KafkaUpstreamPublisher gatewayA, List<UpstreamMessage> fromA,
                                            KafkaUpstreamPublisher gatewayB, List<UpstreamMessage> fromB)
            throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Duration> b = CompletableFuture.supplyAsync(() -> {
            try {
                return Publishing.publishAll(gatewayB, fromB, ACK_TIMEOUT);
            } catch (Exception e) {
                throw new IllegalStateException("gateway B could not publish", e);
            }
        });
        Publishing.publishAll(gatewayA, fromA, ACK_TIMEOUT);
        b.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Messages {@code from..to} of the gateway's own clients, then the resends of the devices that moved here
     * from the other gateway: their messages 1..to whose id is a multiple of {@link #RESEND_EVERY}.
     */
    private static List<UpstreamMessage> messages(List<String> own, int from, int to, List<String> movedHere) {
        List<UpstreamMessage> messages = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            for (String client : own) {
                messages.add(DeviceTraffic.message(client, id));
            }
        }
        for (String client : movedHere) {
            for (long id = RESEND_EVERY; id <= to; id += RESEND_EVERY) {
                messages.add(DeviceTraffic.message(client, id));
            }
        }
        return messages;
    }

    /** Odd-numbered clients with {@code parity} 1, even with 2, all with 0. */
    private static List<String> clients(int parity) {
        return IntStream.rangeClosed(1, CLIENTS).filter(n -> parity == 0 || n % 2 == parity % 2)
                .mapToObj(DeviceTraffic::clientId).toList();
    }

    private static String key(UpstreamMessage message) {
        return message.clientId() + "/" + message.messageId();
    }

    static double count(MeterRegistry registry, String name) {
        return registry.get(name).counter().count();
    }

    static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
