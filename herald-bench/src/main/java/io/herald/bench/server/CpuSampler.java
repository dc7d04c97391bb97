package io.herald.bench.server;

import io.herald.bench.measure.BenchClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A process's CPU ticks sampled every {@value #PERIOD_MILLIS} ms with their wall-clock time, for CPU over a stretch
 * whose start is only known afterwards: the first device back after a restart, which worker processes report when
 * asked. Follows a process id that changes (the restarted server). Bounded by its owner, who closes it.
 */
public final class CpuSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 20;

    private record Sample(long epochMicros, long pid, long ticks) {
    }

    private final LongSupplier pid;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private CpuSampler(LongSupplier pid) {
        this.pid = pid;
        this.thread = new Thread(this::sample, "bench-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** @param pid the process to follow; asked at every sample, so a restarted process is followed */
    public static CpuSampler start(LongSupplier pid) {
        return new CpuSampler(pid);
    }

    /**
     * CPU microseconds process {@code processId} used from {@code fromEpochMicros} until now, per {@code count};
     * from its first sample if it started later; -1 when unknown.
     */
    public double microsPerSince(long processId, long fromEpochMicros, long count) {
        long now = ProcessMetrics.cpuTicks(processId);
        long start = -1;
        synchronized (samples) {
            for (Sample sample : samples) {
                if (sample.pid() != processId) {
                    continue;
                }
                if (start < 0 || sample.epochMicros() <= fromEpochMicros) {
                    start = sample.ticks();
                } else {
                    break;
                }
            }
        }
        if (now < 0 || start < 0 || count <= 0) {
            return -1;
        }
        return Math.round((now - start) * 1e6 / ProcessMetrics.TICKS_PER_SECOND / count * 10) / 10.0;
    }

    private void sample() {
        while (!closed) {
            long processId = pid.getAsLong();
            long ticks = processId > 0 ? ProcessMetrics.cpuTicks(processId) : -1;
            if (ticks >= 0) {
                synchronized (samples) {
                    samples.add(new Sample(BenchClock.epochMicros(), processId, ticks));
                }
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
