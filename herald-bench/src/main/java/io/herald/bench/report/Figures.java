package io.herald.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for the figure maps of a {@link Run}. */
public final class Figures {
    private Figures() {
    }

    /** Numeric leaves, nested maps flattened to {@code outer.inner}; non-numeric values are skipped. */
    public static Map<String, Double> flatten(Map<String, ?> figures) {
        Map<String, Double> flat = new LinkedHashMap<>();
        if (figures != null) {
            flatten("", figures, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, Map<String, ?> figures, Map<String, Double> out) {
        figures.forEach((key, value) -> {
            if (value instanceof Number number) {
                out.put(prefix + key, number.doubleValue());
            } else if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> inner = (Map<String, ?>) nested;
                flatten(prefix + key + ".", inner, out);
            }
        });
    }

    /** Rounds to 3 decimals for the report (figures are not more precise than that). */
    public static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
