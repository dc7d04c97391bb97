package io.herald.cluster.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The archiver's meters, tagged with topic and consumer group. They are removed on {@link #close()}, so an
 * archiver restarted in the same process registers fresh ones (Micrometer would otherwise hand back the old gauge,
 * still reading the stopped archiver's lag).
 */
final class ArchiverMetrics implements AutoCloseable {
    static final String LAG = "herald.archiver.lag";
    static final String ARCHIVED = "herald.archiver.archived";
    static final String DUPLICATES = "herald.archiver.duplicates";
    static final String RETRIES = "herald.archiver.retries";
    static final String UNDECODABLE = "herald.archiver.undecodable";

    private final MeterRegistry registry;
    private final AtomicLong lag = new AtomicLong();
    private final Counter archived;
    private final Counter duplicates;
    private final Counter retries;
    private final Counter undecodable;
    private final List<Meter> meters;

    ArchiverMetrics(MeterRegistry registry, KafkaSettings settings) {
        this.registry = registry;
        Tags tags = Tags.of("topic", settings.topic(), "group", settings.consumerGroup());
        Gauge lagGauge = Gauge.builder(LAG, lag, AtomicLong::get).tags(tags).baseUnit("records")
                .description("Records in the archiver's partitions not archived yet: end offset - position")
                .register(registry);
        archived = Counter.builder(ARCHIVED).tags(tags).baseUnit("messages")
                .description("Upstream messages the archiver stored").register(registry);
        duplicates = Counter.builder(DUPLICATES).tags(tags).baseUnit("messages")
                .description("Upstream messages already stored: device resends and replays after a restart")
                .register(registry);
        retries = Counter.builder(RETRIES).tags(tags)
                .description("Batches whose insert failed and was retried").register(registry);
        undecodable = Counter.builder(UNDECODABLE).tags(tags).baseUnit("records")
                .description("Records skipped because they are not upstream messages").register(registry);
        meters = List.of(lagGauge, archived, duplicates, retries, undecodable);
    }

    void lag(long records) {
        lag.set(records);
    }

    void stored(int batchSize, int added) {
        archived.increment(added);
        duplicates.increment(batchSize - added);
    }

    void retried() {
        retries.increment();
    }

    void undecodable() {
        undecodable.increment();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
