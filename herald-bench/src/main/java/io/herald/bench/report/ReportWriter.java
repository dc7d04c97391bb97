package io.herald.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a report as {@code <scenario>-<timestamp>.json} plus {@code latest-<scenario>.json}, and prints it as a
 * table: one block per run, with Herald, the baseline and their ratio side by side.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ReportWriter() {
    }

    /** {@code yyyyMMdd-HHmmss} (UTC) of the report's start: the time in its file name. */
    public static String stamp(Report report) {
        return STAMP.format(report.startedAt());
    }

    /** Writes both files; returns the timestamped one. */
    public static Path write(Report report, Path directory) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(report.scenario() + "-" + stamp(report) + ".json");
            JSON.writeValue(file.toFile(), report.toJson());
            Files.copy(file, directory.resolve("latest-" + report.scenario() + ".json"),
                    StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + directory, e);
        }
    }

    public static void print(Report report, PrintStream out) {
        out.println();
        out.println("== bench " + report.scenario() + " (" + report.startedAt() + ")");
        for (Run run : report.runs()) {
            out.println();
            out.println("-- " + run.name());
            boolean withBaseline = run.baseline() != null;
            Map<String, Double> ours = Figures.flatten(run.herald());
            Map<String, Double> ideal = Figures.flatten(run.baseline());
            Map<String, Double> ratios = run.ratios();
            Map<String, Double> rows = run.herald() != null ? ours : ideal;
            out.println(withBaseline ? String.format(Locale.ROOT, "%-36s %16s %16s %9s", "figure", "herald", "baseline", "ratio")
                    : String.format(Locale.ROOT, "%-36s %16s", "figure", "herald"));
            for (String key : rows.keySet()) {
                if (withBaseline) {
                    out.println(String.format(Locale.ROOT, "%-36s %16s %16s %9s", key,
                            ours.containsKey(key) ? format(ours.get(key)) : "-",
                            ideal.containsKey(key) ? format(ideal.get(key)) : "-",
                            ratios.containsKey(key) ? format(ratios.get(key)) : "-"));
                } else {
                    out.println(String.format(Locale.ROOT, "%-36s %16s", key, format(ours.get(key))));
                }
            }
        }
        if (!report.targets().isEmpty()) {
            out.println();
            out.println("-- targets");
            for (TargetCheck check : report.targets()) {
                out.println(String.format(Locale.ROOT, "[%s] %s: %s", check.met() ? "met " : "MISS", check.target(),
                        check.measured()));
            }
        }
        for (String note : report.notes()) {
            out.println("note: " + note);
        }
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, "%,.3f", value);
    }
}
