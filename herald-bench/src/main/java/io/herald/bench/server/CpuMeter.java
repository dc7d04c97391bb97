package io.herald.bench.server;

/**
 * CPU a process used over a stretch of a run, per message handled. Unlike a rate, CPU per message hardly
 * changes when other work on the machine takes cores away, so it compares Herald with the baseline fairly even on a
 * busy machine.
 */
public final class CpuMeter {
    private final long pid;
    private final long startTicks;

    private CpuMeter(long pid) {
        this.pid = pid;
        this.startTicks = pid > 0 ? ProcessMetrics.cpuTicks(pid) : -1;
    }

    /** @param pid the process to measure; -1 (unknown) makes every figure -1 */
    public static CpuMeter start(long pid) {
        return new CpuMeter(pid);
    }

    public static CpuMeter startForThisProcess() {
        return new CpuMeter(ProcessHandle.current().pid());
    }

    /** CPU microseconds used since the start, divided by {@code count}; -1 when unknown. */
    public double microsPer(long count) {
        if (startTicks < 0 || count <= 0) {
            return -1;
        }
        long ticks = ProcessMetrics.cpuTicks(pid) - startTicks;
        return Math.round(ticks * 1e6 / ProcessMetrics.TICKS_PER_SECOND / count * 10) / 10.0;
    }
}
