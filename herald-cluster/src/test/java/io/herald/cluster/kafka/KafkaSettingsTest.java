package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void defaultsApplyToEverythingButTheBrokers() {
        KafkaSettings settings = KafkaSettings.of("kafka-1:9092,kafka-2:9092");

        assertThat(settings.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(settings.topic()).isEqualTo("herald.upstream");
        assertThat(settings.partitions()).isEqualTo(12);
        assertThat(settings.consumerGroup()).isEqualTo("herald-archiver");
        assertThat(settings.archiverBatchSize()).isEqualTo(500);
        assertThat(settings.pollTimeout()).isEqualTo(KafkaSettings.DEFAULT_POLL_TIMEOUT);
        assertThat(settings.deliveryTimeout()).isEqualTo(KafkaSettings.DEFAULT_DELIVERY_TIMEOUT);
    }

    @Test
    void withersChangeOneSetting() {
        KafkaSettings settings = KafkaSettings.of("127.0.0.1:19092").withTopic("t").withPartitions(3)
                .withConsumerGroup("g").withArchiverBatchSize(7).withPollTimeout(Duration.ofMillis(50))
                .withDeliveryTimeout(Duration.ofSeconds(2));

        assertThat(settings).isEqualTo(new KafkaSettings("127.0.0.1:19092", "t", 3, "g", 7, Duration.ofMillis(50),
                Duration.ofSeconds(2), KafkaClientProperties.NONE));
    }

    @Test
    void bootstrapServersMustBeHostPortPairs() {
        assertThatThrownBy(() -> KafkaSettings.of(" ")).hasMessageContaining("bootstrap servers are required");
        assertThatThrownBy(() -> KafkaSettings.of("kafka-1")).hasMessageContaining("'kafka-1' is not host:port");
        assertThatThrownBy(() -> KafkaSettings.of("kafka-1:9092,kafka-2:99999"))
                .hasMessageContaining("'kafka-2:99999'");
    }

    @Test
    void topicFollowsKafkasNamingRule() {
        KafkaSettings settings = KafkaSettings.of("k:9092");

        assertThatThrownBy(() -> settings.withTopic("upstream messages"))
                .hasMessageContaining("letters, digits or '._-'").hasMessageContaining("upstream messages");
        assertThatThrownBy(() -> settings.withTopic("x".repeat(250))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withTopic("..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersAndDurationsAreBounded() {
        KafkaSettings settings = KafkaSettings.of("k:9092");

        assertThatThrownBy(() -> settings.withPartitions(0)).hasMessageContaining("partitions must be 1-10000");
        assertThatThrownBy(() -> settings.withConsumerGroup("")).hasMessageContaining("consumer group");
        assertThatThrownBy(() -> settings.withArchiverBatchSize(0)).hasMessageContaining("batch size must be");
        assertThatThrownBy(() -> settings.withPollTimeout(Duration.ZERO)).hasMessageContaining("poll timeout");
        assertThatThrownBy(() -> settings.withDeliveryTimeout(Duration.ofMillis(500)))
                .hasMessageContaining("delivery timeout must be 1s to 10m, was 500ms");
    }
}
