package io.herald.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prometheus' naming and exposition conventions (prometheus.io/docs/practices/naming), as a list of what a page
 * breaks: every family has a HELP text and a TYPE; counters end in {@code _total} and nothing else does; durations
 * are in seconds and sizes in bytes (the base units, named in the suffix); no other unit appears in a name;
 * latencies are histograms with buckets, never summaries, so quantiles can be aggregated over nodes.
 */
final class PrometheusConventions {
    private static final Pattern DURATION = Pattern.compile("latency|duration|pause|_time(_|$)|delay|_ago$");
    /** Memory and bytes must be in bytes; a size or length with no unit after it too (a pool size in threads may). */
    private static final Pattern SIZE = Pattern.compile("memory|_bytes?(_|$)|_size$|_length$");
    /** Micrometer's own 0..1 figures (jvm_memory_usage_after_gc_percent): a fraction, not a size. */
    private static final Pattern FRACTION = Pattern.compile("_(ratio|percent)$");
    private static final Pattern OTHER_UNIT = Pattern.compile(
            "_(ms|millis|milliseconds|us|micros|microseconds|ns|nanos|nanoseconds|minutes|hours|kb|mb|gb|"
                    + "kilobytes|megabytes|gigabytes|kib|mib)(_|$)");

    private PrometheusConventions() {
    }

    static List<String> violations(PrometheusPage page) {
        List<String> found = new ArrayList<>();
        page.families().values().forEach(family -> check(family, found));
        return found;
    }

    private static void check(PrometheusPage.Family family, List<String> found) {
        String name = family.name;
        if (family.help == null || family.help.isBlank()) {
            found.add(name + ": no HELP text");
        }
        if (family.type == null) {
            found.add(name + ": no TYPE");
            return;
        }
        switch (family.type) {
            case "counter" -> {
                if (!name.endsWith("_total")) {
                    found.add(name + ": a counter whose name does not end in _total");
                }
            }
            case "summary" -> found.add(name + ": a summary (client-side quantiles cannot be aggregated over nodes;"
                    + " publish a histogram)");
            case "histogram" -> {
                if (family.sampleLines.stream().noneMatch(line -> line.contains("_bucket{")
                        && line.contains("le=\"+Inf\""))) {
                    found.add(name + ": a histogram without buckets");
                }
                if (!name.endsWith("_seconds") && !name.endsWith("_bytes")) {
                    found.add(name + ": a histogram not in seconds or bytes");
                }
            }
            default -> {
                if (name.endsWith("_total")) {
                    found.add(name + ": a " + family.type + " named like a counter (_total)");
                }
            }
        }
        String base = name.replaceAll("_total$", "");
        if (DURATION.matcher(base).find() && !base.contains("_seconds")) {
            found.add(name + ": a duration not in seconds (name it ..._seconds)");
        }
        if (SIZE.matcher(base).find() && !base.contains("_bytes") && !FRACTION.matcher(base).find()) {
            found.add(name + ": a size not in bytes (name it ..._bytes)");
        }
        if (OTHER_UNIT.matcher(base).find()) {
            found.add(name + ": a unit that is not a base unit (seconds, bytes)");
        }
    }
}
