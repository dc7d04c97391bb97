package io.herald.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code herald <role> ...} in a JVM of its own on this JVM's class path, so that a test can kill it outright
 * (SIGKILL). Its output goes to {@code <role>.log} in {@code home} (a restart appends to it); a failed start reports
 * the tail of it.
 */
final class HeraldProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Thread reaper;
    /** The role's "is up" line, matched: its groups carry the ports. */
    private final Matcher up;

    private HeraldProcess(Process process, Thread reaper, Matcher up) {
        this.process = process;
        this.reaper = reaper;
        this.up = up;
    }

    /** Starts {@code herald <args>} in {@code home}; returns once its output matches {@code upLine}. */
    static HeraldProcess start(Path home, List<String> args, Pattern upLine) throws IOException {
        String role = args.get(0);
        Path output = home.resolve(role + ".log");
        Path logback = home.resolve("logback-" + role + ".xml");
        Files.writeString(logback, GatewayProcess.LOGBACK);
        int skip = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8).length() : 0;
        List<String> command = javaCommand(logback);
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        Thread reaper = new Thread(process::destroyForcibly, role + "-process-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher up = upLine.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (up.find(skip)) {
                return new HeraldProcess(process, reaper, up);
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(reaper);
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                throw new IllegalStateException(role + " did not start:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            }
            GatewayProcess.sleep(50);
        }
    }

    /**
     * {@code java ... io.herald.server.HeraldMain}, on this JVM's class path, with a small heap and quick start-up,
     * logging as {@code logback} says; the role and its options go after it.
     */
    static List<String> javaCommand(Path logback) {
        return new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"),
                "io.herald.server.HeraldMain"));
    }

    /** A number from the "is up" line. */
    int upGroup(int group) {
        return Integer.parseInt(up.group(group));
    }

    /** SIGTERM: the node stops as an operator's stop would (devices drained first); returns once it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " did not stop on SIGTERM");
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed by the server; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " did not die");
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
