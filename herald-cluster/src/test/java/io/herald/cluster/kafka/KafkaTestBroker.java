package io.herald.cluster.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) in a separate JVM, started from
 * the Maven Central jars that the {@code copy-kafka-broker-lib} execution of herald-cluster's pom copies into
 * {@code target/kafka-broker-lib}. Listens on two free loopback ports, never on Kafka's 9092/9093, keeps its log
 * directory and its own log file ({@code broker.log}) in a temporary directory, and can be stopped and started
 * again on the same ports and data for outage tests.
 */
public final class KafkaTestBroker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final String LIB_DIR = "target/kafka-broker-lib";

    private static final Logger log = LoggerFactory.getLogger(KafkaTestBroker.class);

    private final Path home;
    private final Path config;
    private final String classpath;
    private final int port;
    private volatile Process process;

    private KafkaTestBroker(Path home, String classpath, int port, int controllerPort) throws IOException {
        this.home = home;
        this.classpath = classpath;
        this.port = port;
        this.config = home.resolve("server.properties");
        Files.writeString(config, serverProperties(home.resolve("data"), port, controllerPort));
        Files.writeString(home.resolve("logback.xml"), logbackConfig(home.resolve("broker.log")));
        // A test JVM that exits without closing the broker (a crash, Ctrl-C) still takes it down.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process running = process;
            if (running != null) {
                running.destroyForcibly();
            }
        }, "kafka-test-broker-reaper"));
    }

    /** Formats a new log directory and starts the broker; returns once it answers an admin request. */
    static KafkaTestBroker start() {
        long started = System.nanoTime();
        try {
            Path home = Files.createTempDirectory("herald-kafka-");
            KafkaTestBroker broker = new KafkaTestBroker(home, brokerClasspath(), freePort(), freePort());
            broker.format();
            broker.launch();
            log.info("Kafka test broker up at {} in {} ms (home {})", broker.bootstrapServers(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), home);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Kafka test broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * This broker with a topic and consumer group no other test uses, so tests sharing the broker never see each
     * other's records or offsets; short polls keep the tests quick.
     */
    public KafkaSettings uniqueSettings() {
        String suffix = Uuid.randomUuid().toString().replaceAll("[^A-Za-z0-9]", "").substring(0, 10);
        return KafkaSettings.of(bootstrapServers())
                .withTopic(KafkaSettings.DEFAULT_TOPIC + ".test-" + suffix)
                .withConsumerGroup(KafkaSettings.DEFAULT_CONSUMER_GROUP + "-test-" + suffix)
                .withPollTimeout(Duration.ofMillis(200));
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker (a controlled shutdown, killed if it takes too long); its data stays. */
    void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Kafka test broker did not stop within {}; killing it", STOP_TIMEOUT);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process = null;
        log.info("Kafka test broker at {} stopped", bootstrapServers());
    }

    /** Starts the stopped broker again on the same ports and log directory. */
    void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restart the Kafka test broker", e);
        }
        log.info("Kafka test broker restarted at {}", bootstrapServers());
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the Kafka test broker's directory {}: {}", home, e.getMessage());
        }
    }

    private void format() throws IOException {
        // Same as 'kafka-storage.sh random-uuid', without the cost of another JVM.
        String clusterId = Uuid.randomUuid().toString();
        Process formatting = java(List.of("kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", config.toString()), home.resolve("format.out"));
        try {
            if (!formatting.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                formatting.destroyForcibly();
                throw new IllegalStateException("Formatting the Kafka test broker's storage took over "
                        + FORMAT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            formatting.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
        if (formatting.exitValue() != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed with exit code "
                    + formatting.exitValue() + ":\n" + tail(home.resolve("format.out")));
        }
    }

    private void launch() throws IOException {
        // C1 only and the serial collector: the broker starts (and restarts) in a quarter of the time on a small
        // machine, and a test broker never runs long enough for C2 to pay off.
        process = java(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "kafka.Kafka",
                config.toString()), home.resolve("broker.out"));
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka test broker exited with code " + process.exitValue()
                            + ":\n" + tail(home.resolve("broker.log")) + tail(home.resolve("broker.out")));
                }
                try {
                    admin.listTopics().names().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        stop();
                        throw new IllegalStateException("Kafka test broker did not answer within " + READY_TIMEOUT
                                + ":\n" + tail(home.resolve("broker.log")), notYet);
                    }
                    if (notYet instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted while waiting for Kafka", notYet);
                    }
                }
            }
        }
    }

    private Process java(List<String> arguments, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dlogback.configurationFile=" + home.resolve("logback.xml"));
        command.add("-cp");
        command.add(classpath);
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
    }

    private static String brokerClasspath() {
        Path lib = Paths.get(System.getProperty("basedir", "."), LIB_DIR).toAbsolutePath();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("No Kafka broker jars in " + lib + ": run the tests through Maven "
                    + "(mvn -pl herald-cluster test), whose generate-test-resources phase copies them there");
        }
        // Java expands 'dir/*' to every jar in it.
        return lib.resolve("*").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String serverProperties(Path dataDir, int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dataDir,
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "")
                .replace("\n", System.lineSeparator());
    }

    private static String logbackConfig(Path logFile) {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{30} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(logFile);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")\n";
        }
    }
}
