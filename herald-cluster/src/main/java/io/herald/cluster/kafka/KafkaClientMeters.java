package io.herald.cluster.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * kafka-clients' own figures through Micrometer's {@link KafkaClientMetrics}, narrowed by {@link #FILTER} to those an
 * operator watches. Kafka reports several hundred metrics per client (per broker, per topic, per partition), many of
 * them averages over its own window in milliseconds; the ones kept are counters (Prometheus sums and rates them),
 * lag in records, and sizes in bytes, so every name keeps to Prometheus' base units.
 */
public final class KafkaClientMeters {
    /** Kafka's metric names as Micrometer spells them ({@code producer-metrics/record-send-total}). */
    static final Set<String> KEPT = Set.of(
            "kafka.producer.record.send.total",
            "kafka.producer.record.error.total",
            "kafka.producer.record.retry.total",
            "kafka.producer.buffer.available.bytes",
            "kafka.producer.buffer.total.bytes",
            "kafka.producer.connection.count",
            "kafka.consumer.fetch.manager.records.lag.max",
            "kafka.consumer.fetch.manager.records.lag",
            "kafka.consumer.fetch.manager.records.consumed.total",
            "kafka.consumer.coordinator.rebalance.total",
            "kafka.consumer.coordinator.assigned.partitions",
            "kafka.consumer.connection.count",
            "kafka.consumer.last.poll.seconds.ago");

    /** Denies every Kafka client meter but {@link #KEPT}; other meters pass. Add it before binding a client. */
    public static final MeterFilter FILTER = MeterFilter.deny(id ->
            id.getName().startsWith("kafka.") && !KEPT.contains(id.getName()));

    private KafkaClientMeters() {
    }

    /** Binds the producer's figures; close the result before the producer. */
    static KafkaClientMetrics bind(Producer<?, ?> producer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Binds the consumer's figures, lag per partition among them; close the result before the consumer. */
    static KafkaClientMetrics bind(Consumer<?, ?> consumer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }
}
