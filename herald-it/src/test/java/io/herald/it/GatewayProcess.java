package io.herald.it;

import io.herald.store.jdbc.JdbcSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
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
 * class path, so that a test can kill it outright (SIGKILL) the way a machine or a process dies, or stop it with
 * SIGTERM, and start it again under the same id and device port. Its output goes to {@code gateway.log} in a
 * temporary directory (a restart appends to it); a failed start reports the tail of it.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** GatewayCommand prints this line once the gateway is registered in ZooKeeper. */
    static final Pattern UP = Pattern.compile("Herald gateway (\\S+) is up: device TCP (\\d+)");
    /**
     * A SIGTERM stop tells devices to come back within this; short, so that a test does not wait for them. The
     * gateways of {@link ClusterScript} have it too.
     */
    static final Duration DRAIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String gatewayId;
    private final ClusterServices services;
    private final JdbcSettings jdbc;
    private final Path home;
    private final Process process;
    private final int tcpPort;
    /** A test JVM that exits without closing this (a crash, Ctrl-C) still takes the gateway down. */
    private final Thread reaper;

    private GatewayProcess(String gatewayId, ClusterServices services, JdbcSettings jdbc, Path home, Process process,
                           Thread reaper, int tcpPort) {
        this.gatewayId = gatewayId;
        this.services = services;
        this.jdbc = jdbc;
        this.home = home;
        this.process = process;
        this.reaper = reaper;
        this.tcpPort = tcpPort;
    }

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

    /** Starts {@code herald gateway} on the cluster's services; returns once it is registered. */
    static GatewayProcess start(String gatewayId, ClusterServices services, JdbcSettings jdbc) throws IOException {
        return start(gatewayId, services, jdbc, Files.createTempDirectory("herald-it-" + gatewayId + "-"), 0);
    }

    /**
     * Starts this gateway again after {@link #kill()} or {@link #stop()}: same id, device port and directory, so
     * that devices retrying the old address find it. Returns the new process; this one is spent.
     */
    GatewayProcess restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("gateway " + gatewayId + " (pid " + process.pid() + ") still runs");
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
        return start(gatewayId, services, jdbc, home, tcpPort);
    }

    /** @param tcpPort 0: a free port */
    private static GatewayProcess start(String gatewayId, ClusterServices services, JdbcSettings jdbc, Path home,
                                        int tcpPort) throws IOException {
        long started = System.nanoTime();
        Path output = home.resolve("gateway.log");
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, LOGBACK);
        // A restart appends to the same log: only what this run wrote counts.
        int skip = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8).length() : 0;
        List<String> command = HeraldProcess.javaCommand(logback);
        command.addAll(arguments(gatewayId, services, jdbc, tcpPort));
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
            if (up.find(skip)) {
                GatewayProcess gateway = new GatewayProcess(gatewayId, services, jdbc, home, process, reaper,
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

    /** The gateway's output so far, every run of it. */
    Path log() {
        return home.resolve("gateway.log");
    }

    /**
     * SIGTERM: the gateway drains (leaves ZooKeeper, tells its devices to reconnect within 1 s, stores unacked
     * QoS 1 messages) and exits; returns once it has.
     */
    void stop() {
        process.destroy();
        awaitExit();
    }

    /** SIGKILL: no deregistration, no goodbye to devices or API nodes; the kernel closes its sockets. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("gateway " + gatewayId + " (pid " + process.pid() + ") did not exit");
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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** INFO for Herald, WARN for the libraries, into the process's output. */
    /** {@code gateway ...}: the options of a test gateway JVM, in-process services and database; device port 0: free. */
    static List<String> arguments(String gatewayId, ClusterServices services, JdbcSettings jdbc, int tcpPort) {
        List<String> args = new ArrayList<>(List.of("gateway",
                "--gateway-id", gatewayId,
                "--bind", "127.0.0.1", "--public-host", "127.0.0.1",
                "--tcp-port", Integer.toString(tcpPort), "--ws-port", "-1", "--internal-port", "0", "--ops-port", "-1",
                "--retry-interval", NodeSettings.RETRY_INTERVAL.toMillis() + "ms",
                "--io-threads", "2", "--upstream-workers", "2",
                "--drain-window", DRAIN_WINDOW.toMillis() + "ms",
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
            args.addAll(List.of("--jdbc-password", jdbc.password()));
        }
        return args;
    }

    static final String LOGBACK = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.herald" level="INFO"/>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;
}
