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
 * {@code herald standalone} in a JVM of its own, started as an operator would on this JVM's class path, so that a
 * test can kill it outright (SIGKILL) and start it again on the same data directory. Its output goes to
 * {@code standalone.log} next to the data directory (a restart appends to it); a failed start reports its tail.
 */
final class StandaloneProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** StandaloneCommand prints this once every listener is up. */
    private static final Pattern UP = Pattern.compile("Herald standalone is up: HTTP \\S+:(\\d+)\\s+device TCP (\\d+)");

    private final Process process;
    private final Thread reaper;
    final int httpPort;
    final int tcpPort;

    private StandaloneProcess(Process process, Thread reaper, int httpPort, int tcpPort) {
        this.process = process;
        this.reaper = reaper;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    /** Starts {@code herald standalone --data-dir home/data} on free loopback ports; returns once it is up. */
    static StandaloneProcess start(Path home, String apiKey, String... extraOptions) throws IOException {
        Path output = home.resolve("standalone.log");
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, GatewayProcess.LOGBACK);
        int skip = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8).length() : 0;
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"),
                "io.herald.server.HeraldMain", "standalone",
                "--data-dir", home.resolve("data").toString(),
                "--bind", "127.0.0.1", "--public-host", "127.0.0.1",
                "--http-port", "0", "--tcp-port", "0", "--ws-port", "-1",
                "--api-key", apiKey, "--registrations-per-address", "off"));
        command.addAll(List.of(extraOptions));
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        Thread reaper = new Thread(process::destroyForcibly, "standalone-process-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher up = UP.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (up.find(skip)) {
                return new StandaloneProcess(process, reaper, Integer.parseInt(up.group(1)),
                        Integer.parseInt(up.group(2)));
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(reaper);
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                throw new IllegalStateException("standalone did not start:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            }
            GatewayProcess.sleep(50);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed by the server; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("standalone (pid " + process.pid() + ") did not die");
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
