package io.herald.server.cluster;

import io.herald.cluster.kafka.KafkaClientProperties;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.server.cli.Setting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The upstream topic: gateways publish to it, the archiver consumes it. */
public final class KafkaOptions {

    @Option(names = "--kafka", defaultValue = KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka-topic", defaultValue = KafkaSettings.DEFAULT_TOPIC,
            description = "Topic of upstream messages, keyed by client id (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--kafka-partitions", defaultValue = "" + KafkaSettings.DEFAULT_PARTITIONS,
            description = "Partitions when the topic is created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--kafka-delivery-timeout", defaultValue = "30s",
            description = "How long a gateway waits for Kafka before telling the device to retry"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration deliveryTimeout;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", split = ClusterOptions.PROPERTY_SPLIT,
            splitSynopsisLabel = ",",
            description = "A Kafka client setting passed to the producer, consumer and admin client that know it,"
                    + " e.g. TLS: security.protocol=SSL, ssl.truststore.location=FILE; repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    public KafkaSettings settings() {
        KafkaSettings settings = Setting.of("--kafka/--kafka-topic/--kafka-partitions/--kafka-delivery-timeout",
                () -> KafkaSettings.of(bootstrapServers).withTopic(topic).withPartitions(partitions)
                        .withDeliveryTimeout(deliveryTimeout));
        return Setting.of("--kafka-property",
                () -> settings.withClientProperties(new KafkaClientProperties(properties)));
    }
}
