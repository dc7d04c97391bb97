package io.herald.bench.server;

import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * CPU a process used over a stretch of a run, per message handled. Unlike a rate, CPU per message hardly
 * changes when other work on the machine takes cores away, so it compares Herald with the baseline fairly even on a
 * busy machine. It also says how much of that CPU the JIT compiler took ({@link #jitPercent}): a server measured
 * seconds after its start spends much of its CPU compiling, once, which is no cost of the messages of a server that
 * has been running.
 */
public final class CpuMeter {
    private final List<Long> pids;
    private final long startTicks;
    private final long startJitTicks;

    private CpuMeter(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.startJitTicks = jitTicks();
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

    /**
     * The share of the CPU used since the start that went to the processes' JIT compiler threads, in percent (one
     * decimal); -1 when unknown or when no CPU was used.
     */
    public double jitPercent() {
        long ticks = startTicks < 0 ? -1 : ticks();
        long jit = startJitTicks < 0 ? -1 : jitTicks();
        if (ticks < 0 || jit < 0 || ticks == startTicks) {
            return -1;
        }
        double percent = 100.0 * Math.max(0, jit - startJitTicks) / (ticks - startTicks);
        return Math.round(Math.min(100, percent) * 10) / 10.0;
    }

    /** The summed CPU ticks of the processes; -1 when any is unknown. */
    private long ticks() {
        return sum(ProcessMetrics::cpuTicks);
    }

    private long jitTicks() {
        return sum(ProcessMetrics::jitCpuTicks);
    }

    private long sum(LongUnaryOperator ticksOf) {
        long sum = 0;
        for (long pid : pids) {
            long ticks = pid > 0 ? ticksOf.applyAsLong(pid) : -1;
            if (ticks < 0) {
                return -1;
            }
            sum += ticks;
        }
        return sum;
    }
}
