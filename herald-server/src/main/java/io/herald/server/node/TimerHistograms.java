package io.herald.server.node;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Makes every timer a Prometheus histogram with one set of buckets, whoever registered it (Lettuce, HikariCP,
 * Armeria, Herald). A library's default is often a summary with client-side percentiles, and a p99 computed inside
 * each process cannot be combined across nodes; buckets can:
 * {@code histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m])))}. A timer that asks for its own
 * histogram ({@code publishPercentileHistogram}) keeps it.
 */
final class TimerHistograms implements MeterFilter {
    /** From half a millisecond (a Redis command on the same host) to 30 s (a stuck request); 16 buckets with +Inf. */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final double[] NO_PERCENTILES = {};

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || Boolean.TRUE.equals(config.isPercentileHistogram())) {
            return config;
        }
        double[] buckets = new double[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
            buckets[i] = BUCKETS[i].toNanos();
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .percentiles(NO_PERCENTILES)
                .serviceLevelObjectives(buckets)
                .build()
                .merge(config);
    }
}
