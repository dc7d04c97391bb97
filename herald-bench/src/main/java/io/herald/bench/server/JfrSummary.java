package io.herald.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where a profiled server spent its CPU: {@code jfr print --events jdk.ExecutionSample} read back and counted,
 * by top frame (self time), by every frame on the stack (total time), by component (the most specific library on
 * the stack, see {@link #COMPONENTS}) and by thread pool, as shares of all samples.
 */
public final class JfrSummary {
    private static final int TOP = 20;
    /**
     * Components in order of precedence: a sample is charged to the first whose package appears anywhere on its
     * stack (so PBKDF2 under an HTTP handler counts as password hashing, not as HTTP).
     */
    private static final List<Map.Entry<String, List<String>>> COMPONENTS = List.of(
            Map.entry("password hashing (PBKDF2)", List.of("com.sun.crypto.provider.PBKDF2", "io.herald.core.security.SecretHasher")),
            Map.entry("JDBC store (H2, Hikari)", List.of("org.h2.", "com.zaxxer.hikari.", "io.herald.store.jdbc.")),
            Map.entry("logging", List.of("ch.qos.logback.", "org.slf4j.")),
            Map.entry("metrics (Micrometer)", List.of("io.micrometer.")),
            Map.entry("JSON (Jackson)", List.of("com.fasterxml.jackson.")),
            Map.entry("HTTP API (Armeria)", List.of("com.linecorp.armeria.", "io.herald.api.")),
            Map.entry("Herald gateway", List.of("io.herald.gateway.", "io.herald.core.", "io.herald.protocol.")),
            Map.entry("Netty transport", List.of("io.netty.")),
            Map.entry("class loading / JIT / JFR", List.of("java.lang.ClassLoader", "jdk.internal.loader.", "jdk.jfr.",
                    "java.util.zip.")));

    private JfrSummary() {
    }

    public static Map<String, Object> summarise(Path recording) {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> components = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        List<String> stack = new ArrayList<>();
        int samples = 0;
        try {
            Process process = new ProcessBuilder(List.of(jfr.toString(), "print", "--stack-depth", "96", "--events", "jdk.ExecutionSample",
                    recording.toString())).redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                boolean inStack = false;
                boolean first = false;
                Set<String> seen = new HashSet<>();
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith("sampledThread = ")) {
                        threads.merge(threadPool(trimmed), 1, Integer::sum);
                    } else if (trimmed.startsWith("stackTrace = [")) {
                        inStack = true;
                        first = true;
                        seen.clear();
                        stack.clear();
                        samples++;
                    } else if (inStack && trimmed.startsWith("]")) {
                        inStack = false;
                        components.merge(component(stack), 1, Integer::sum);
                    } else if (inStack && !trimmed.equals("...")) {
                        stack.add(trimmed);
                        String frame = trimmed.replaceAll("\\s+line:.*$", "");
                        if (first) {
                            self.merge(frame, 1, Integer::sum);
                            first = false;
                        }
                        if (seen.add(frame)) {
                            total.merge(frame, 1, Integer::sum);
                        }
                    }
                }
            }
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            return Map.of("error", "cannot read " + recording + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of("error", "interrupted");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("recording", recording.toString());
        summary.put("samples", samples);
        summary.put("byComponentPercent", top(components, samples));
        summary.put("byThreadPoolPercent", top(threads, samples));
        summary.put("topSelfPercent", top(self, samples));
        summary.put("topTotalPercent", top(total, samples));
        return summary;
    }

    private static String component(List<String> stack) {
        for (Map.Entry<String, List<String>> component : COMPONENTS) {
            for (String frame : stack) {
                for (String prefix : component.getValue()) {
                    if (frame.startsWith(prefix)) {
                        return component.getKey();
                    }
                }
            }
        }
        return "other (JDK)";
    }

    /** {@code sampledThread = "armeria-common-worker-epoll-3-2" (javaThreadId = 41)} → {@code armeria-common-worker-epoll-#-#}. */
    private static String threadPool(String line) {
        int open = line.indexOf('"');
        int close = line.indexOf('"', open + 1);
        String name = open >= 0 && close > open ? line.substring(open + 1, close) : line;
        return name.replaceAll("\\d+", "#");
    }

    private static Map<String, Double> top(Map<String, Integer> counts, int samples) {
        Map<String, Double> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> top.put(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, samples)) / 10.0));
        return top;
    }
}
