package io.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/herald-cluster} of this checkout, run as a user runs it, on a state directory and a port base of its
 * own: the roles from this build's {@code herald-server/target/herald.jar} (HERALD_JAR, so nothing is built), small
 * JVMs, nginx from the PATH. Each command's output goes to {@code commands.log} in the state directory as well.
 */
final class ClusterScript {
    private static final Logger log = LoggerFactory.getLogger(ClusterScript.class);
    /** The JVM options of the archiver and API nodes (HERALD_JAVA_OPTS): small and quick to start. */
    static final String ROLE_JAVA_OPTS = "-Xmx192m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    /** The gateways' (HERALD_GATEWAY_JAVA_OPTS): another heap than the roles', so a test can tell them apart. */
    static final String GATEWAY_JAVA_OPTS = "-Xmx160m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /** What a command printed (standard output and error) and its exit status. */
    record Run(int exitCode, String output) {
    }

    private final Path root;
    private final Path state;
    private final int portBase;

    /** On {@code state}, with HERALD_CLUSTER_PORT_BASE={@code portBase}. */
    ClusterScript(Path state, int portBase) {
        this.root = repositoryRoot();
        this.state = state.toAbsolutePath();
        this.portBase = portBase;
    }

    /** On {@code state}, with the first of {@code bases} whose ports of that layout are all free. */
    static ClusterScript onFreePorts(Path state, int[] bases, String... layout) throws IOException, InterruptedException {
        for (int base : bases) {
            ClusterScript script = new ClusterScript(state, base);
            if (allFree(script.ports(layout))) {
                return script;
            }
        }
        throw new IllegalStateException("every port base of " + Arrays.toString(bases) + " has a port in use");
    }

    /** {@code down --purge}, a failure only logged: for finally blocks and shutdown hooks. */
    void downQuietly() {
        try {
            Run down = run(Duration.ofMinutes(2), "down", "--purge");
            if (down.exitCode() != 0) {
                log.warn("bin/herald-cluster down --purge failed:\n{}", down.output());
            }
        } catch (IOException e) {
            log.warn("bin/herald-cluster down --purge failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On {@code state}, with the port base recorded there (HERALD_CLUSTER_PORT_BASE unset). */
    static ClusterScript recorded(Path state) {
        return new ClusterScript(state, -1);
    }

    Path state() {
        return state;
    }

    int portBase() {
        return portBase;
    }

    /** Runs {@code bin/herald-cluster args...}; SIGTERM when it takes longer than {@code timeout}. */
    Run run(Duration timeout, String... args) throws IOException, InterruptedException {
        Files.createDirectories(state);
        Path output = Files.createTempFile(state, "command-", ".out");
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/herald-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = environment(new ProcessBuilder(command)).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            // SIGTERM: an interrupted 'up' stops what it started (its EXIT trap) before it exits.
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        Files.writeString(state.resolve("commands.log"), "$ bin/herald-cluster " + String.join(" ", args) + "\n"
                + text + "(exit " + exitOf(process) + ")\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new Run(exitOf(process), text);
    }

    /**
     * The builder set up as this cluster's commands run: in the checkout, with its state directory, port base, jar
     * and JVM options; for a process that runs the script itself (bench scale restarts gateways with it).
     */
    ProcessBuilder environment(ProcessBuilder builder) {
        builder.directory(root.toFile());
        Map<String, String> env = builder.environment();
        env.put("HERALD_CLUSTER_DIR", state.toString());
        if (portBase >= 0) {
            env.put("HERALD_CLUSTER_PORT_BASE", Integer.toString(portBase));
        } else {
            env.remove("HERALD_CLUSTER_PORT_BASE");
        }
        env.put("HERALD_JAR", jar().toString());
        env.put("HERALD_JAVA_OPTS", ROLE_JAVA_OPTS);
        env.put("HERALD_GATEWAY_JAVA_OPTS", GATEWAY_JAVA_OPTS);
        // A gateway stopped with SIGTERM (a smaller up, restart-gateway) tells its devices to come back within the
        // tests' short window instead of the default 10 s: they still move to the other gateways, sooner.
        env.put("HERALD_DRAIN_WINDOW", GatewayProcess.DRAIN_WINDOW.toMillis() + "ms");
        // nginx lives in /usr/sbin, which a non-login PATH may lack.
        env.put("PATH", env.getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
        return builder;
    }

    Path root() {
        return root;
    }

    private static int exitOf(Process process) {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** {@code bin/herald-cluster ports ...}: each component's ports, in start order. */
    Map<String, List<Integer>> ports(String... layout) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("ports"));
        args.addAll(List.of(layout));
        Run run = run(Duration.ofSeconds(30), args.toArray(String[]::new));
        if (run.exitCode() != 0) {
            throw new IllegalStateException("bin/herald-cluster ports failed:\n" + run.output());
        }
        Map<String, List<Integer>> ports = new LinkedHashMap<>();
        for (String line : run.output().strip().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            List<Integer> numbers = new ArrayList<>();
            for (int i = 1; i < fields.length; i++) {
                numbers.add(Integer.parseInt(fields[i]));
            }
            ports.put(fields[0], numbers);
        }
        return ports;
    }

    String apiKey() throws IOException {
        return Files.readString(state.resolve("secrets/api-key"), StandardCharsets.UTF_8).strip();
    }

    /** The pid a component's pid file names. */
    long pid(String component) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("run/" + component + ".pid")).strip());
    }

    /**
     * Every process of the cluster: each component runs in a session of its own whose id is the pid in its pid file
     * (nginx's workers are in nginx's).
     */
    Set<Long> processes() throws IOException {
        Set<Long> sessions = new HashSet<>();
        Path run = state.resolve("run");
        if (Files.isDirectory(run)) {
            try (Stream<Path> files = Files.list(run)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    sessions.add(Long.parseLong(Files.readString(file).strip()));
                }
            }
        }
        Set<Long> members = new HashSet<>();
        try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                Long session = sessionOf(proc);
                if (session != null && sessions.contains(session)) {
                    members.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        }
        return members;
    }

    /** Field 6 of /proc/PID/stat (after "pid (comm) state ppid pgrp"); null when the process is gone. */
    private static Long sessionOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** True when every port of {@code ports} can be bound on 127.0.0.1 now. */
    static boolean allFree(Map<String, List<Integer>> ports) {
        for (List<Integer> list : ports.values()) {
            for (int port : list) {
                try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    // free
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The checkout: the first directory up from the working directory (herald-it) with bin/herald-cluster. */
    static Path repositoryRoot() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/herald-cluster"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no bin/herald-cluster above " + Paths.get("").toAbsolutePath());
    }

    /** herald-server's jar; the reactor builds it before herald-it (mvn verify, bin/test). */
    private Path jar() {
        Path jar = root.resolve("herald-server/target/herald.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            throw new IllegalStateException(jar + " (and its lib/) is missing: build it first (mvn -B -DskipTests "
                    + "package, or bin/test, which runs it before herald-it)");
        }
        return jar;
    }
}
