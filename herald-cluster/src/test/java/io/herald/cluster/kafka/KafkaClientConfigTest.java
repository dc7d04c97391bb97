package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The client settings the delivery guarantees rest on; a change here changes what docs/cluster-kafka.md says. */
class KafkaClientConfigTest {
    private final KafkaSettings settings = KafkaSettings.of("127.0.0.1:19092").withArchiverBatchSize(321);

    @Test
    void producerIsIdempotentAndWaitsForAllInSyncReplicas() {
        Map<String, Object> config = KafkaUpstreamPublisher.producerConfig(settings);

        assertThat(config).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 29_995);
    }

    @Test
    void aShortDeliveryTimeoutStillLeavesRoomForOneRequest() {
        Map<String, Object> config = KafkaUpstreamPublisher.producerConfig(
                settings.withDeliveryTimeout(Duration.ofSeconds(2)));

        assertThat(config).containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_995);
    }

    @Test
    void archiverCommitsItselfAndReadsOnlyCommittedRecords() {
        Map<String, Object> config = Archiver.consumerConfig(settings);

        assertThat(config).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 321)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "herald-archiver");
    }
}
