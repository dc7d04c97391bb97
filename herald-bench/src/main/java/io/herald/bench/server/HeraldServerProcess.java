package io.herald.bench.server;

import io.herald.bench.http.HeraldApi;
import io.herald.server.tls.SelfSignedTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Herald standalone server in its own JVM, from the built {@code herald.jar} (or, when that jar is not there,
 * from the bench's own class path, which holds the same server). Ports are fixed at construction so
 * {@link #startAgain} brings it back where devices expect it, on the same data directory.
 */
public final class HeraldServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** First starts on fresh ports when the chosen ones were taken meanwhile (another process bound them). */
    private static final int START_ATTEMPTS = 3;

    /**
     * How to run the server.
     *
     * @param tls       {@code --tls-self-signed}: the certificate lands in {@link #selfSignedCertificate}
     * @param webSocket also a WebSocket listener, for {@code --transport ws}
     * @param mqtt      also an MQTT listener ({@code --mqtt-port}), for the MQTT scenarios
     */
    public record Options(Path jar, List<String> jvmArgs, Duration heartbeat, int ioThreads, Path workDir,
                          boolean tls, boolean webSocket, boolean mqtt) {
        /** Without MQTT. */
        public Options(Path jar, List<String> jvmArgs, Duration heartbeat, int ioThreads, Path workDir, boolean tls,
                       boolean webSocket) {
            this(jar, jvmArgs, heartbeat, ioThreads, workDir, tls, webSocket, false);
        }
    }

    private final Options options;
    private final int httpPort = ChildJvm.freePort();
    private final int tcpPort = ChildJvm.freePort();
    private final int wsPort;
    private final int mqttPort;
    private final String apiKey = "bench-key-" + Long.toHexString(System.nanoTime());
    private ChildJvm jvm;

    private HeraldServerProcess(Options options) {
        this.options = options;
        this.wsPort = options.webSocket() ? ChildJvm.freePort() : -1;
        this.mqttPort = options.mqtt() ? ChildJvm.freePort() : -1;
    }

    /** Where a server started with {@code tls} in {@code workDir} keeps the certificate its devices must trust. */
    public static Path selfSignedCertificate(Path workDir) {
        return SelfSignedTls.certificateFile(dataDir(workDir).resolve("tls"));
    }

    private static Path dataDir(Path workDir) {
        return workDir.resolve("data");
    }

    public static HeraldServerProcess start(Options options) {
        for (int attempt = 1; ; attempt++) {
            HeraldServerProcess server = new HeraldServerProcess(options);
            try {
                server.launch();
                return server;
            } catch (PortTakenException e) {
                // The free ports were found by binding and closing them; another process can take one before
                // the server binds it. A restart (startAgain) must keep its ports, so only a first start retries.
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void launch() {
        List<String> jvmArgs = new ArrayList<>(options.jvmArgs());
        List<String> launch = new ArrayList<>();
        Path jar = options.jar();
        if (jar != null && Files.isRegularFile(jar)) {
            launch.addAll(List.of("-jar", jar.toString()));
        } else {
            launch.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.herald.server.HeraldMain"));
        }
        launch.addAll(List.of("standalone", "--bind", "127.0.0.1", "--http-port", Integer.toString(httpPort),
                "--tcp-port", Integer.toString(tcpPort), "--ws-port", Integer.toString(wsPort),
                "--data-dir", dataDir(options.workDir()).toString(), "--api-key", apiKey,
                "--heartbeat", options.heartbeat().toSeconds() + "s",
                "--io-threads", Integer.toString(options.ioThreads())));
        if (options.tls()) {
            launch.add("--tls-self-signed");
        }
        if (options.mqtt()) {
            launch.addAll(List.of("--mqtt-port", Integer.toString(mqttPort)));
        }
        // Every simulated device comes from 127.0.0.1 and the bench measures capacity: no abuse limits.
        launch.addAll(List.of("--max-connections-per-address", "0", "--upstream-messages-per-second", "0",
                "--upstream-bytes-per-second", "0", "--registrations-per-address", "off"));
        // A restart is a storm on purpose (reconnect-storm's subject): the devices honour a RECONNECT notice's delay
        // as the SDK does, and with the default window they would come back over 10 s by design.
        launch.addAll(List.of("--drain-window", "0s"));
        jvm = new ChildJvm(jvmArgs, launch, options.workDir().resolve("server.log")).start();
        awaitHealthy();
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HeraldApi probe = null;
        try {
            while (System.nanoTime() < deadline) {
                if (!jvm.isAlive()) {
                    if (logMentions("Address already in use")) {
                        throw new PortTakenException("the Herald server's port was taken at start; see " + jvm.log());
                    }
                    throw new IllegalStateException("the Herald server exited at start; see " + jvm.log());
                }
                // Over TLS the probe can trust the certificate only once the server has written it.
                if (probe == null && (trustFile() == null || Files.exists(trustFile()))) {
                    probe = new HeraldApi(apiUri(), apiKey, trustFile());
                }
                if (probe != null && probe.isHealthy(Duration.ofSeconds(2))) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
        jvm.stop();
        throw new IllegalStateException("the Herald server was not healthy within " + START_TIMEOUT + "; see " + jvm.log());
    }

    private boolean logMentions(String text) {
        try {
            return Files.readString(jvm.log(), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The server could not bind a port chosen for it. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    /**
     * Stops the server with SIGTERM (a graceful shutdown that stores undelivered QoS 1 messages): the devices see
     * their connections drop.
     */
    public void stop() {
        jvm.stop();
    }

    /** Starts the server again on the same ports and data directory; returns when the API is healthy. */
    public void startAgain() {
        launch();
    }

    /** The certificate its clients must trust, or null without TLS. */
    public Path trustFile() {
        return options.tls() ? selfSignedCertificate(options.workDir()) : null;
    }

    public URI apiUri() {
        return URI.create((options.tls() ? "https" : "http") + "://127.0.0.1:" + httpPort);
    }

    /** The MQTT listener; only for a server started with {@link Options#mqtt()}. */
    public InetSocketAddress mqttAddress() {
        if (mqttPort < 0) {
            throw new IllegalStateException("this server was started without MQTT");
        }
        return new InetSocketAddress("127.0.0.1", mqttPort);
    }

    public String apiKey() {
        return apiKey;
    }

    public long pid() {
        return jvm.pid();
    }

    public String commandLine() {
        return String.join(" ", jvm.command());
    }

    @Override
    public void close() {
        if (jvm != null) {
            jvm.stop();
        }
    }
}
