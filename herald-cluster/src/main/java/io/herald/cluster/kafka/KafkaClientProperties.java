package io.herald.cluster.kafka;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client settings Herald has no option for, passed through as given: above all TLS and SASL
 * ({@code security.protocol=SSL}, {@code ssl.truststore.location=...}). Each goes to every client that knows the key:
 * the gateways' producer, the archiver's consumer, the admin client that creates the topic. A key no Kafka client
 * knows is refused (a misspelt {@code ssl.truststore.locaton} would otherwise be ignored, with a warning deep in
 * Kafka's log), and so is one Herald sets itself, since its delivery guarantees rest on those values.
 */
public record KafkaClientProperties(Map<String, String> values) {
    public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());

    /** Set by Herald: the guarantees of docs/cluster-kafka.md, or an option of its own. */
    static final Set<String> SET_BY_HERALD = Set.of(
            "bootstrap.servers", "enable.idempotence", "acks", "max.in.flight.requests.per.connection",
            "delivery.timeout.ms", "request.timeout.ms", "max.block.ms", "group.id", "enable.auto.commit",
            "isolation.level", "auto.offset.reset", "max.poll.records", "default.api.timeout.ms",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer");

    public KafkaClientProperties {
        values = Map.copyOf(values);
        Set<String> known = knownKeys();
        // Sorted, so that the first fault reported is the same on every run.
        for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
            String key = entry.getKey();
            if (SET_BY_HERALD.contains(key)) {
                throw new IllegalArgumentException("kafka property " + key + " is set by Herald and cannot be"
                        + " passed through (see docs/cluster-kafka.md)");
            }
            if (!known.contains(key)) {
                throw new IllegalArgumentException("kafka property " + key + " is not a Kafka producer, consumer or"
                        + " admin client setting (misspelt?)");
            }
            if (entry.getValue() == null || entry.getValue().isBlank()) {
                throw new IllegalArgumentException("kafka property " + key + " has no value");
            }
        }
    }

    /** Puts the properties that a client with these setting names knows into its config. */
    private void addTo(Map<String, Object> config, Set<String> clientSettingNames) {
        values.forEach((key, value) -> {
            if (clientSettingNames.contains(key)) {
                config.put(key, value);
            }
        });
    }

    void addToProducer(Map<String, Object> config) {
        addTo(config, ProducerConfig.configNames());
    }

    void addToConsumer(Map<String, Object> config) {
        addTo(config, ConsumerConfig.configNames());
    }

    void addToAdmin(Map<String, Object> config) {
        addTo(config, AdminClientConfig.configNames());
    }

    private static Set<String> knownKeys() {
        Set<String> known = new HashSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        return known;
    }

    /** Values may be passwords ({@code ssl.keystore.password}): only the keys are printed. */
    @Override
    public String toString() {
        return "KafkaClientProperties" + new TreeMap<>(values).keySet();
    }
}
