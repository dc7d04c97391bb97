package io.herald.api;

import com.linecorp.armeria.common.CommonPools;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures behind the console's live charts, sampled every {@link #INTERVAL} for the last {@link #WINDOW} from
 * what this node really has: its own meters (the same ones {@code /metrics} shows) and the gateways' published
 * connection counts. A rate is the growth of a counter between two samples over the time between them. A figure
 * this node does not have (deliveries and upstream on a cluster API node: they happen on the gateways, whose
 * {@code /metrics} Prometheus scrapes) is null, and the chart says so rather than drawing a zero.
 */
final class ConsoleStats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleStats.class);
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final int CAPACITY = (int) (WINDOW.toMillis() / INTERVAL.toMillis());

    // The meters' names as registered by the API (ApiMetrics) and the gateway (GatewayMetrics, same registry in
    // standalone); herald-api does not depend on the gateway module, and these names are the /metrics contract.
    static final String CONNECTIONS = "herald.connections";
    static final String PUSHED = "herald.push.targets";
    static final String FRAMES_OUT = "herald.frames.out";
    static final String UPSTREAM = "herald.upstream.messages";

    record Sample(Instant at, Integer connections, Double pushesPerSecond, Double deliveriesPerSecond,
                  Double upstreamPerSecond) {
    }

    private record Totals(long atMillis, Double pushed, Double delivered, Double upstream) {
    }

    private final MeterRegistry registry;
    private final Supplier<List<GatewayStatus>> gateways;
    private final Clock clock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>(CAPACITY);
    private Totals previous;
    private ScheduledFuture<?> schedule;

    ConsoleStats(MeterRegistry registry, Supplier<List<GatewayStatus>> gateways, Clock clock) {
        this.registry = registry;
        this.gateways = gateways;
        this.clock = clock;
    }

    synchronized void start() {
        schedule = CommonPools.blockingTaskExecutor().scheduleAtFixedRate(this::sampleSafely, 0,
                INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Devices online: those this node's own gateway holds plus those its known gateways published. */
    int devicesOnline() {
        Gauge local = registry.find(CONNECTIONS).gauge();
        long total = local == null ? 0 : (long) local.value();
        for (GatewayStatus gateway : gateways.get()) {
            total += gateway.connections();
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /** Oldest first. */
    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            log.warn("console statistics: sampling failed; will try again", e);
        }
    }

    synchronized void sample() {
        Totals now = new Totals(clock.millis(), total(registry.find(PUSHED)),
                total(registry.find(FRAMES_OUT).tag("type", "MESSAGE")),
                total(registry.find(UPSTREAM).tag("result", "ok")));
        Totals before = previous;
        double seconds = before == null ? 0 : (now.atMillis() - before.atMillis()) / 1000.0;
        samples.addLast(new Sample(Instant.ofEpochMilli(now.atMillis()), devicesOnline(),
                rate(before == null ? null : before.pushed(), now.pushed(), seconds),
                rate(before == null ? null : before.delivered(), now.delivered(), seconds),
                rate(before == null ? null : before.upstream(), now.upstream(), seconds)));
        while (samples.size() > CAPACITY) {
            samples.removeFirst();
        }
        previous = now;
    }

    /** The sum of the matching counters, or null when this node has none of them. */
    private static Double total(Search search) {
        Collection<Counter> counters = search.counters();
        if (counters.isEmpty()) {
            return null;
        }
        return counters.stream().mapToDouble(Counter::count).sum();
    }

    private static Double rate(Double before, Double now, double seconds) {
        if (before == null || now == null || seconds <= 0) {
            return null;
        }
        return Math.max(0, now - before) / seconds;
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
