package io.herald.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JIT compiler's share of a process's CPU, read from {@code /proc} for this test's own JVM. */
class JitCpuTest {

    @Test
    void theCompilerThreadsOfThisJvmAreFoundAndTheirShareIsAPercentage() {
        long pid = ProcessHandle.current().pid();
        CpuMeter meter = CpuMeter.startForThisProcess();
        long until = System.nanoTime() + 300_000_000L;
        long sum = 0;
        while (System.nanoTime() < until) { // 300 ms of CPU, so that the share has ticks to divide
            sum += Long.toString(sum).hashCode();
        }
        assertThat(sum).isNotZero();
        assertThat(meter.jitPercent()).isBetween(0.0, 100.0);
        assertThat(ProcessMetrics.jitCpuTicks(pid)).as("this JVM has compiled the test framework and the loop by now")
                .isPositive()
                .isLessThanOrEqualTo(ProcessMetrics.cpuTicks(pid));
    }

    @Test
    void aProcessThatIsNotThereIsUnknown() {
        assertThat(ProcessMetrics.jitCpuTicks(Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(CpuMeter.start(-1).jitPercent()).isEqualTo(-1.0);
    }
}
