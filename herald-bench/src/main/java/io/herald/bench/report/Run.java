package io.herald.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured configuration of a scenario (e.g. "qos1 at 10000/s"): Herald's figures (null in a baseline-only
 * run), the ideal baseline's figures for the same load (null when not measured), and the keys a chart plots.
 */
public record Run(String name, Map<String, Object> herald, Map<String, Object> baseline, List<String> chartKeys) {

    /** Herald ÷ baseline for every numeric figure both have (nested maps flattened as {@code outer.inner}). */
    public Map<String, Double> ratios() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        if (baseline == null || herald == null) {
            return ratios;
        }
        Map<String, Double> ours = Figures.flatten(herald);
        Map<String, Double> ideal = Figures.flatten(baseline);
        ours.forEach((key, value) -> {
            Double base = ideal.get(key);
            if (base != null && base != 0 && !Double.isNaN(value)) {
                ratios.put(key, Math.round(value / base * 1000.0) / 1000.0);
            }
        });
        return ratios;
    }
}
