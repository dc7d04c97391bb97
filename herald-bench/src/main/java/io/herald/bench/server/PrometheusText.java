package io.herald.bench.server;

/** Reads values out of a Prometheus text exposition, enough for the few gauges the bench needs. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The sum of every sample of the metric whose labels contain {@code labelFilter} (e.g. {@code area="heap"});
     * null filter for all samples. NaN when the metric is absent.
     */
    public static double sum(String text, String metric, String labelFilter) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric) || line.length() <= metric.length()) {
                continue;
            }
            char next = line.charAt(metric.length());
            if (next != '{' && next != ' ') {
                continue;
            }
            if (labelFilter != null && !line.contains(labelFilter)) {
                continue;
            }
            String value = line.substring(line.lastIndexOf(' ') + 1);
            try {
                sum += Double.parseDouble(value);
                found = true;
            } catch (NumberFormatException ignored) {
                // A timestamp or an unexpected format: not a sample this reader understands.
            }
        }
        return found ? sum : Double.NaN;
    }
}
