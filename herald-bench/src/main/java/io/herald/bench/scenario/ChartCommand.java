package io.herald.bench.scenario;

import io.herald.bench.report.ChartWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench chart}: PNG charts of the latest reports, for docs/performance.md. */
@Command(name = "chart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws a PNG chart per scenario from the latest-<scenario>.json reports.")
final class ChartCommand implements Callable<Integer> {

    @Option(names = "--results-dir", defaultValue = "bench/results",
            description = "Where the reports are (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--out", defaultValue = "docs/performance",
            description = "Where the PNG files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        List<Path> written = ChartWriter.writeAll(resultsDir, out);
        written.forEach(p -> System.out.println("wrote " + p));
        return written.isEmpty() ? 1 : 0;
    }
}
