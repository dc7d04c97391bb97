package io.herald.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run measured while the server was still compiling is noted as such; a warm one is not. */
class JitNoteTest {

    @Test
    void aRunWhoseServerSpentAFifthOfItsCpuCompilingIsNoted() {
        Report report = report().add(run("cold", 21.5)).add(run("warm", 2.0)).add(run("unknown", -1));

        assertThat(report.notes()).singleElement().asString()
                .startsWith("cold: the server's JIT compiler took 21.5% of its CPU")
                .contains("--warmup");
    }

    private static Report report() {
        return new Report("p2p", "bench p2p", Map.of(), new HashMap<>());
    }

    private static Run run(String name, double jitPercent) {
        return new Run(name, Map.of("serverCpuMicrosPerMessage", 100.0, Report.SERVER_JIT_CPU_PERCENT, jitPercent),
                null, List.of());
    }
}
