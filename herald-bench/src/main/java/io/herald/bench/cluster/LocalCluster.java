package io.herald.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster started by {@code bin/herald-cluster up}, as its state directory describes it: every component's ports
 * (asked of the script itself, {@code ports}, so the offsets live in one place), its pid file, the API key; and the
 * script's single-gateway commands ({@code kill-gateway}, {@code restart-gateway}) to break and restart it.
 */
public final class LocalCluster {
    private static final Duration PORTS_TIMEOUT = Duration.ofSeconds(30);
    /** A drain, a JVM start on a loaded machine and its readiness wait; the script bounds each itself. */
    private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(4);

    /** What one script command printed, its exit status and how long it took. */
    public record Outcome(int exitCode, String output, long elapsedNanos) {
        private static final Pattern SIGNALLED = Pattern.compile("(?m)^\\S+ +SIG[A-Z]+ at epoch ms (\\d+)$");

        public boolean ok() {
            return exitCode == 0;
        }

        /** When the script signalled the gateway (epoch ms, its "gateway-N  SIGKILL at epoch ms T" line); -1: never. */
        public long signalledAtMillis() {
            Matcher matcher = SIGNALLED.matcher(output);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        }
    }

    private final Path script;
    private final Path state;
    private final Map<String, List<Integer>> ports;

    private LocalCluster(Path script, Path state, Map<String, List<Integer>> ports) {
        this.script = script;
        this.state = state;
        this.ports = ports;
    }

    /**
     * @param script the checkout's {@code bin/herald-cluster}
     * @param state  its state directory (HERALD_CLUSTER_DIR), with the {@code cluster.env} of a cluster that is up
     */
    public static LocalCluster open(Path script, Path state) {
        Path absolute = state.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute.resolve("cluster.env"))) {
            throw new IllegalArgumentException("no cluster in " + absolute + " (no cluster.env): start one with "
                    + "bin/herald-cluster up, or give its state directory with --cluster-dir");
        }
        if (!Files.isExecutable(script)) {
            throw new IllegalArgumentException("not an executable bin/herald-cluster: " + script);
        }
        LocalCluster cluster = new LocalCluster(script.toAbsolutePath(), absolute, Map.of());
        Outcome ports = cluster.command(PORTS_TIMEOUT, "ports");
        if (!ports.ok()) {
            throw new IllegalStateException("bin/herald-cluster ports failed: " + ports.output());
        }
        return new LocalCluster(cluster.script, absolute, parsePorts(ports.output()));
    }

    /** {@code gateway-1 27001 27081 27101 27201 27301} per line: component, then its ports. */
    static Map<String, List<Integer>> parsePorts(String text) {
        Map<String, List<Integer>> ports = new LinkedHashMap<>();
        for (String line : text.strip().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            List<Integer> numbers = new ArrayList<>();
            for (int i = 1; i < fields.length; i++) {
                numbers.add(Integer.parseInt(fields[i]));
            }
            ports.put(fields[0], List.copyOf(numbers));
        }
        return ports;
    }

    public Path state() {
        return state;
    }

    /** Gateways of the layout: 1 .. N. */
    public int gateways() {
        return (int) ports.keySet().stream().filter(name -> name.startsWith("gateway-")).count();
    }

    public List<String> apiNodes() {
        return ports.keySet().stream().filter(name -> name.startsWith("api-")).toList();
    }

    /** The ops port (health, /metrics) of gateway {@code n}: the last of its ports. */
    public int gatewayOpsPort(int n) {
        List<Integer> list = portsOf("gateway-" + n);
        return list.get(list.size() - 1);
    }

    /** The HTTP port (API and /metrics) of API node {@code name} ({@code api-1} ...). */
    public int apiHttpPort(String name) {
        return portsOf(name).get(0);
    }

    public int nginxPort() {
        return portsOf("nginx").get(0);
    }

    public int redisPort() {
        return portsOf("redis").get(0);
    }

    /** What each gateway is sized for: {@code DEVICES_PER_GATEWAY} of {@code cluster.env}. */
    public int devicesPerGateway() {
        return Integer.parseInt(setting("DEVICES_PER_GATEWAY"));
    }

    /** A {@code KEY=value} line of {@code cluster.env} (the last one wins, as the script reads it). */
    String setting(String key) {
        String value = null;
        for (String line : read(state.resolve("cluster.env")).split("\n")) {
            if (line.startsWith(key + "=")) {
                value = line.substring(key.length() + 1).strip();
            }
        }
        if (value == null) {
            throw new IllegalStateException(state.resolve("cluster.env") + " has no " + key);
        }
        return value;
    }

    public String apiKey() {
        return read(state.resolve("secrets/api-key")).strip();
    }

    /** The pid in the component's pid file; -1 when it has none (not running, or killed). */
    public long pid(String component) {
        Path file = state.resolve("run").resolve(component + ".pid");
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        try {
            long pid = Long.parseLong(read(file).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public Outcome killGateway(int n) {
        return command(PORTS_TIMEOUT, "kill-gateway", Integer.toString(n));
    }

    public Outcome restartGateway(int n) {
        return command(RESTART_TIMEOUT, "restart-gateway", Integer.toString(n));
    }

    private List<Integer> portsOf(String component) {
        List<Integer> list = ports.get(component);
        if (list == null) {
            throw new IllegalStateException("bin/herald-cluster ports names no " + component);
        }
        return list;
    }

    private Outcome command(Duration timeout, String... args) {
        List<String> line = new ArrayList<>(List.of(script.toString()));
        line.addAll(List.of(args));
        long start = System.nanoTime();
        try {
            Path output = Files.createTempFile("herald-cluster-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("HERALD_CLUSTER_DIR", state.toString());
                // The recorded base is the cluster's: a base in the caller's environment would only be refused.
                builder.environment().remove("HERALD_CLUSTER_PORT_BASE");
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroy(); // SIGTERM: the script's EXIT trap stops what it started
                    process.waitFor(60, TimeUnit.SECONDS);
                    return new Outcome(-1, read(output) + "\n(timed out after " + timeout + ")", System.nanoTime() - start);
                }
                return new Outcome(process.exitValue(), read(output), System.nanoTime() - start);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + line, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
