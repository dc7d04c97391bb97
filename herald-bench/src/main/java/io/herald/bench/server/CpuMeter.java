package io.herald.bench.server;

import java.util.List;

/**
 * CPU a process used over a stretch of a run, per message handled. Unlike a rate, CPU per message hardly
 * changes when other work on the machine takes cores away, so it compares Herald with the baseline fairly even on a
 * busy machine.
 */
public final class CpuMeter {
    private final List<Long> pids;
    private final long startTicks;

    private CpuMeter(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.startTicks = ticks();
    }

    /** @param pid the process to measure; -1 (unknown) makes every figure -1 */
    public static CpuMeter start(long pid) {
        return new CpuMeter(List.of(pid));
    }

    /** The processes' CPU together: the bench and its worker processes share the load generation. */
    public static CpuMeter start(List<Long> pids) {
        return new CpuMeter(pids);
    }

    public static CpuMeter startForThisProcess() {
        return new CpuMeter(List.of(ProcessHandle.current().pid()));
    }

    /** CPU microseconds used since the start, divided by {@code count}; -1 when unknown. */
    public double microsPer(long count) {
        if (startTicks < 0 || count <= 0) {
            return -1;
        }
        long now = ticks();
        if (now < 0) {
            return -1;
        }
        long ticks = now - startTicks;
        return Math.round(ticks * 1e6 / ProcessMetrics.TICKS_PER_SECOND / count * 10) / 10.0;
    }

    /** The summed CPU ticks of the processes; -1 when any is unknown. */
    private long ticks() {
        long sum = 0;
        for (long pid : pids) {
            long ticks = pid > 0 ? ProcessMetrics.cpuTicks(pid) : -1;
            if (ticks < 0) {
                return -1;
            }
            sum += ticks;
        }
        return sum;
    }
}
