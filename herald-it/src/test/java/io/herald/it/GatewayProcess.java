package io.herald.it;

import io.herald.store.jdbc.JdbcSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster gateway in a JVM of its own, started as an operator would ({@code herald gateway ...}) on this JVM's
 * class path, so that a test can kill it outright (SIGKILL) the way a machine or a process dies. Its output goes
 * to {@code gateway.log} in a temporary directory; a failed start reports the tail of it.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** GatewayCommand prints this line once the gateway is registered in ZooKeeper. */
    private static final Pattern UP = Pattern.compile("Herald gateway (\\S+) is up: device TCP (\\d+)");

    private final String gatewayId;
    private final Path home;
    private final Process process;
    private final int tcpPort;
    /** A test JVM that exits without closing this (a crash, Ctrl-C) still takes the gateway down. */
    private final Thread reaper;

    private GatewayProcess(String gatewayId, Path home, Process process, Thread reaper, int tcpPort) {
        this.gatewayId = gatewayId;
        this.home = home;
        this.process = process;
        this.reaper = reaper;
        this.tcpPort = tcpPort;
    }

    /** Starts {@code herald gateway} on the cluster's services; returns once it is registered. */
    /** {@link #start} on another thread, so that the in-process cluster can start meanwhile. */
    static CompletableFuture<GatewayProcess> startAsync(String gatewayId, ClusterServices services, JdbcSettings jdbc) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start(gatewayId, services, jdbc);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static GatewayProcess start(String gatewayId, ClusterServices services, JdbcSettings jdbc) throws IOException {
        long started = System.nanoTime();
        Path home = Files.createTempDirectory("herald-it-" + gatewayId + "-");
        Path output = home.resolve("gateway.log");
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, LOGBACK);
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"),
                "io.herald.server.HeraldMain", "gateway",
                "--gateway-id", gatewayId,
                "--bind", "127.0.0.1", "--public-host", "127.0.0.1",
                "--tcp-port", "0", "--ws-port", "-1", "--internal-port", "0", "--ops-port", "-1",
                "--retry-interval", NodeSettings.RETRY_INTERVAL.toMillis() + "ms",
                "--io-threads", "2", "--upstream-workers", "2",
                "--zookeeper", services.discovery().connectString(),
                "--zookeeper-session-timeout", services.sessionTimeout().toMillis() + "ms",
                "--redis", services.redis().uri(),
                "--cluster-secret", ClusterServices.CLUSTER_SECRET,
                "--kafka", services.kafka().bootstrapServers(),
                "--kafka-topic", services.kafka().topic(),
                "--kafka-partitions", Integer.toString(services.kafka().partitions()),
                "--jdbc-url", jdbc.jdbcUrl(),
                "--jdbc-user", jdbc.username()));
        if (jdbc.password() != null && !jdbc.password().isEmpty()) {
            command.addAll(List.of("--jdbc-password", jdbc.password()));
        }
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        Thread reaper = new Thread(process::destroyForcibly, "gateway-process-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher up = UP.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (up.find()) {
                GatewayProcess gateway = new GatewayProcess(gatewayId, home, process, reaper,
                        Integer.parseInt(up.group(2)));
                log.info("gateway {} up as a separate JVM (pid {}) on device port {} in {} ms", gatewayId,
                        process.pid(), gateway.tcpPort, Duration.ofNanos(System.nanoTime() - started).toMillis());
                return gateway;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String why = process.isAlive() ? "no 'is up' line within " + START_TIMEOUT
                        : "exit code " + exitCode(process);
                process.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(reaper);
                throw new IllegalStateException("gateway " + gatewayId + " did not start (" + why + "):\n"
                        + tail(output));
            }
            sleep(50);
        }
    }

    String gatewayId() {
        return gatewayId;
    }

    int tcpPort() {
        return tcpPort;
    }

    /** SIGKILL: no deregistration, no goodbye to devices or API nodes; the kernel closes its sockets. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gateway " + gatewayId + " (pid " + process.pid() + ") did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static int exitCode(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** INFO for Herald, WARN for the libraries, into the process's output. */
    private static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.herald" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;
}
