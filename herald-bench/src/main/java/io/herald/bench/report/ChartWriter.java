package io.herald.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Charts from the {@code latest-<scenario>.json} reports: per scenario, the chart keys of each run as bars (Herald
 * next to the baseline), and, where runs have latencies, their p50/p99/p99.9 as bars.
 */
public final class ChartWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    private ChartWriter() {
    }

    /** Writes the charts; returns the files written. */
    public static List<Path> writeAll(Path resultsDir, Path outputDir) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(outputDir);
            try (DirectoryStream<Path> latest = Files.newDirectoryStream(resultsDir, "latest-*.json")) {
                for (Path file : latest) {
                    JsonNode report = JSON.readTree(file.toFile());
                    String scenario = report.path("scenario").asText();
                    Path figures = outputDir.resolve(scenario + ".png");
                    if (writeFigures(report, figures)) {
                        written.add(figures);
                    }
                    Path latency = outputDir.resolve(scenario + "-latency.png");
                    if (writeLatency(report, latency)) {
                        written.add(latency);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write charts to " + outputDir, e);
        }
        return written;
    }

    private static boolean writeFigures(JsonNode report, Path file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String unit = null;
        boolean oneRun = report.path("runs").size() == 1;
        for (JsonNode run : report.path("runs")) {
            List<String> keys = new ArrayList<>();
            run.path("chartKeys").forEach(k -> keys.add(k.asText()));
            for (String key : keys) {
                // Short labels: the figure's name when there is one run, the run's name when one figure per run.
                String column = keys.size() == 1 ? run.path("name").asText()
                        : oneRun ? key : run.path("name").asText() + ": " + key;
                unit = unit == null ? key : unit.equals(key) ? unit : "value";
                addIfNumber(data, run.path("herald").path(key), "herald", column);
                addIfNumber(data, run.path("baseline").path(key), "ideal baseline", column);
            }
        }
        if (data.getColumnCount() == 0) {
            return false;
        }
        save(ChartFactory.createBarChart(title(report), null, unit, data, PlotOrientation.HORIZONTAL, true, false,
                false), file);
        return true;
    }

    private static boolean writeLatency(JsonNode report, Path file) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (JsonNode run : report.path("runs")) {
            for (String system : List.of("herald", "baseline")) {
                JsonNode latency = run.path(system).path("latencyMs");
                if (latency.isMissingNode() || latency.path("count").asLong() == 0) {
                    continue;
                }
                String column = run.path("name").asText() + (system.equals("baseline") ? " (baseline)" : "");
                for (Iterator<Map.Entry<String, JsonNode>> it = latency.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> percentile = it.next();
                    if (List.of("p50", "p99", "p999").contains(percentile.getKey())) {
                        data.addValue(percentile.getValue().asDouble(), percentile.getKey(), column);
                    }
                }
            }
        }
        if (data.getColumnCount() == 0) {
            return false;
        }
        save(ChartFactory.createBarChart(title(report) + ": latency", null, "milliseconds", data,
                PlotOrientation.HORIZONTAL, true, false, false), file);
        return true;
    }

    private static void addIfNumber(DefaultCategoryDataset data, JsonNode value, String series, String column) {
        if (value.isNumber()) {
            data.addValue(value.asDouble(), series, column);
        }
    }

    private static String title(JsonNode report) {
        String started = report.path("startedAt").asText();
        return "bench " + report.path("scenario").asText() + " (" + (started.length() >= 10 ? started.substring(0, 10) : started)
                + ", " + report.path("machine").path("cores").asInt() + " cores)";
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
