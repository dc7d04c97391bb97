package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void passedThroughPropertiesReachEveryClientThatKnowsThem() {
        KafkaSettings tls = settings.withClientProperties(new KafkaClientProperties(Map.of(
                "security.protocol", "SSL", "ssl.truststore.location", "/etc/herald/kafka-ca.p12",
                "linger.ms", "20", "fetch.min.bytes", "1024")));

        assertThat(KafkaUpstreamPublisher.producerConfig(tls)).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/herald/kafka-ca.p12")
                .containsEntry("linger.ms", "20").doesNotContainKey("fetch.min.bytes")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
        assertThat(Archiver.consumerConfig(tls)).containsEntry("security.protocol", "SSL")
                .containsEntry("fetch.min.bytes", "1024").doesNotContainKey("linger.ms");
        assertThat(UpstreamTopic.adminConfig(tls)).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/herald/kafka-ca.p12")
                .doesNotContainKeys("linger.ms", "fetch.min.bytes");
    }

    @Test
    void anUnknownKeyOrOneHeraldSetsIsRefused() {
        assertThatThrownBy(() -> new KafkaClientProperties(Map.of("ssl.truststore.locaton", "/x")))
                .hasMessageContaining("ssl.truststore.locaton is not a Kafka producer, consumer or admin client"
                        + " setting");
        assertThatThrownBy(() -> new KafkaClientProperties(Map.of("acks", "1")))
                .hasMessageContaining("acks is set by Herald");
        assertThatThrownBy(() -> new KafkaClientProperties(Map.of("security.protocol", " ")))
                .hasMessageContaining("security.protocol has no value");
    }

    @Test
    void passwordsAreNotPrinted() {
        assertThat(new KafkaClientProperties(Map.of("ssl.truststore.password", "hunter2-secret")).toString())
                .contains("ssl.truststore.password").doesNotContain("hunter2-secret");
    }
}
