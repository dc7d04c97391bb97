package io.herald.it;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@code /metrics} page in Prometheus' text format, read into its families (HELP, TYPE and the names of their
 * samples) as Prometheus would see them.
 */
final class PrometheusPage {
    /** One metric family: {@code help} null when the page has no HELP line for it, {@code type} likewise. */
    static final class Family {
        final String name;
        String help;
        String type;
        final Set<String> sampleLines = new LinkedHashSet<>();

        Family(String name) {
            this.name = name;
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Set<String> sampleNames = new LinkedHashSet<>();

    PrometheusPage(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String rest = line.substring(7);
                int space = rest.indexOf(' ');
                String name = space < 0 ? rest : rest.substring(0, space);
                String value = space < 0 ? "" : rest.substring(space + 1);
                Family family = families.computeIfAbsent(name, Family::new);
                if (line.startsWith("# HELP ")) {
                    family.help = value;
                } else {
                    family.type = value;
                }
            } else if (!line.isBlank() && !line.startsWith("#")) {
                String name = line.split("[{ ]", 2)[0];
                sampleNames.add(name);
                familyOf(name).sampleLines.add(line);
            }
        }
    }

    /** The family a sample belongs to: itself, or the histogram or summary its suffix points at. */
    private Family familyOf(String sample) {
        Family exact = families.get(sample);
        if (exact != null) {
            return exact;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created"}) {
            if (sample.endsWith(suffix)) {
                Family parent = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (parent != null) {
                    return parent;
                }
            }
        }
        return families.computeIfAbsent(sample, Family::new); // a sample with no HELP or TYPE: a violation
    }

    Map<String, Family> families() {
        return families;
    }

    /** Every name a PromQL expression can select on this page ({@code x_bucket}, {@code x_count}...). */
    Set<String> sampleNames() {
        return sampleNames;
    }
}
