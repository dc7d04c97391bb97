package io.herald.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Devices online over time, total and per gateway, as the gateways count them (their {@code herald_connections}),
 * sampled on a thread of its own every interval while the scale scenario breaks and restarts gateways; with the
 * events (a kill, a restart) marked at the time they happened. Written as CSV, drawn by
 * {@link io.herald.bench.report.OnlineChart}.
 */
public final class OnlineSeries implements AutoCloseable {

    /** One sample: seconds since the series started, devices per gateway (gateway 1 first). */
    public record Sample(double seconds, long[] perGateway) {
        public long total() {
            long sum = 0;
            for (long count : perGateway) {
                sum += count;
            }
            return sum;
        }
    }

    /** Something the scenario did at that moment. */
    public record Event(double seconds, String what) {
    }

    private final ClusterProbe probe;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile boolean stopped;

    private OnlineSeries(ClusterProbe probe, long intervalNanos) {
        this.probe = probe;
        this.intervalNanos = intervalNanos;
        this.sampler = new Thread(this::sample, "bench-online-series");
        this.sampler.setDaemon(true);
    }

    public static OnlineSeries start(ClusterProbe probe, long intervalMillis) {
        OnlineSeries series = new OnlineSeries(probe, TimeUnit.MILLISECONDS.toNanos(intervalMillis));
        series.sampler.start();
        return series;
    }

    public void mark(String what) {
        events.add(new Event(secondsNow(), what));
    }

    /** An event that happened at {@code epochMillis} (a signal another process sent), told afterwards. */
    public void markAt(String what, long epochMillis) {
        events.add(new Event(Math.round((epochMillis - startEpochMillis) / 100.0) / 10.0, what));
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** In time order (an event told afterwards is placed at its time). */
    public List<Event> events() {
        return events.stream().sorted(java.util.Comparator.comparingDouble(Event::seconds)).toList();
    }

    public int gateways() {
        return probe.cluster().gateways();
    }

    /** The CSV: {@code seconds,total,gateway-1,...,gateway-N,event}; an event gets a line of its own at its time. */
    public void writeCsv(Path file) {
        StringBuilder csv = new StringBuilder("seconds,total");
        for (int n = 1; n <= gateways(); n++) {
            csv.append(",gateway-").append(n);
        }
        csv.append(",event\n");
        List<Event> pending = new ArrayList<>(events());
        for (Sample sample : samples()) {
            while (!pending.isEmpty() && pending.get(0).seconds() <= sample.seconds()) {
                Event event = pending.remove(0);
                csv.append(String.format(Locale.ROOT, "%.1f", event.seconds())).append(",".repeat(gateways() + 1))
                        .append(",\"").append(event.what().replace("\"", "'")).append("\"\n");
            }
            csv.append(String.format(Locale.ROOT, "%.1f,%d", sample.seconds(), sample.total()));
            for (long count : sample.perGateway()) {
                csv.append(',').append(count);
            }
            csv.append(",\n");
        }
        try {
            Files.writeString(file, csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void sample() {
        long next = System.nanoTime();
        while (!stopped) {
            samples.add(new Sample(secondsNow(), probe.connections()));
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // a slow poll: no burst of catch-up samples
            }
        }
    }

    private double secondsNow() {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
        try {
            sampler.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
