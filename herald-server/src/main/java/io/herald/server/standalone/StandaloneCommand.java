package io.herald.server.standalone;

import io.herald.api.ApiSettings;
import io.herald.gateway.GatewaySettings;
import io.herald.protocol.Wire;
import io.herald.store.jdbc.JdbcSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald standalone}: the whole system in one process on embedded defaults. */
@Command(name = "standalone", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs gateway, HTTP API and embedded store in one process; no outside service needed.",
                "Ports set to 0 are picked free and logged."})
public final class StandaloneCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = GatewaySettings.DEFAULT_BIND_ADDRESS,
            description = "Address every listener binds to (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP API port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--tcp-port", defaultValue = "7000",
            description = "Device TCP port; -1 turns it off (default: ${DEFAULT-VALUE}).")
    int tcpPort;

    @Option(names = "--ws-port", defaultValue = "7080",
            description = "Device WebSocket port, path /ws; -1 turns it off (default: ${DEFAULT-VALUE}).")
    int wsPort;

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Where the embedded H2 database lives (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--api-key", description = "Key for the push and admin API (Authorization: Bearer KEY). "
            + "Default: a random key, printed at start.")
    String apiKey;

    @Option(names = "--public-host", description = "Host name devices are told to connect to. "
            + "Default: the host they used to reach the API.")
    String publicHost;

    @Option(names = "--open-registration", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Let anyone register a device; --no-open-registration requires the API key "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean openRegistration;

    @Option(names = "--heartbeat", defaultValue = "30s",
            description = "Heartbeat interval told to devices; silent for twice that closes (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--auth-timeout", defaultValue = "10s",
            description = "Time a new connection has to send AUTH (default: ${DEFAULT-VALUE}).")
    Duration authTimeout;

    @Option(names = "--token-ttl", defaultValue = "24h",
            description = "How long a login token is valid (default: ${DEFAULT-VALUE}).")
    Duration tokenTtl;

    @Option(names = "--max-frame-bytes", defaultValue = "" + Wire.DEFAULT_MAX_BODY_LENGTH,
            description = "Largest frame body a device may send or receive (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--retry-interval", defaultValue = "5s",
            description = "First wait for a QoS 1 ack before resending; doubles each time (default: ${DEFAULT-VALUE}).")
    Duration retryInterval;

    @Option(names = "--max-inflight", defaultValue = "" + GatewaySettings.DEFAULT_MAX_INFLIGHT,
            description = "Unacked QoS 1 messages per device (default: ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Netty event loop threads; 0 = two per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--upstream-workers", defaultValue = "" + GatewaySettings.DEFAULT_UPSTREAM_WORKERS,
            description = "Threads running upstream handlers (default: ${DEFAULT-VALUE}).")
    int upstreamWorkers;

    @Option(names = "--jdbc-url", description = "Use this database instead of the embedded H2 one "
            + "(MariaDB/MySQL or PostgreSQL JDBC URL).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "", description = "Database user for --jdbc-url.")
    String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "", description = "Database password for --jdbc-url.")
    String jdbcPassword;

    @Option(names = "--secret-hash-iterations", defaultValue = "1000",
            description = "PBKDF2 iterations for device secrets (default: ${DEFAULT-VALUE}).")
    int secretHashIterations;

    @Option(names = "--node-id", defaultValue = "0",
            description = "Node number (0-1023) inside message ids (default: ${DEFAULT-VALUE}).")
    int nodeId;

    @Option(names = "--handler-setting", paramLabel = "KEY=VALUE",
            description = "A setting for upstream handlers; repeatable.")
    Map<String, String> handlerSettings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        boolean generatedKey = apiKey == null || apiKey.isBlank();
        String key = generatedKey ? randomKey() : apiKey;
        StandaloneNode.Settings settings = settings(key);
        StandaloneNode node = StandaloneNode.start(settings);
        if (generatedKey) {
            System.out.println("Generated API key (pass --api-key to choose one): " + key);
        }
        System.out.printf("Herald standalone is up: HTTP http://%s:%d  device TCP %d  WebSocket %d%n",
                displayHost(), node.httpPort(), node.tcpPort(), node.wsPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "herald-shutdown"));
        stopped.await();
        return 0;
    }

    StandaloneNode.Settings settings(String key) throws java.io.IOException {
        GatewaySettings defaults = GatewaySettings.defaults("standalone");
        GatewaySettings gateway = new GatewaySettings("standalone", bind, tcpPort, wsPort,
                GatewaySettings.DEFAULT_WS_PATH, authTimeout, heartbeat, maxFrameBytes, maxInflight,
                defaults.maxQueued(), retryInterval, defaults.maxDeliveryAttempts(), defaults.maxUpstreamPending(),
                upstreamWorkers, ioThreads);
        ApiSettings api = new ApiSettings(httpPort, bind, key, openRegistration,
                ApiSettings.DEFAULT_MAX_REQUEST_BYTES,
                Math.min(ApiSettings.HARD_MAX_PAYLOAD_BYTES, maxFrameBytes - ApiSettings.FRAME_OVERHEAD_BYTES),
                ApiSettings.DEFAULT_TTL, ApiSettings.DEFAULT_MAX_TTL);
        JdbcSettings jdbc;
        if (jdbcUrl != null) {
            jdbc = JdbcSettings.of(jdbcUrl, jdbcUser, jdbcPassword);
        } else {
            Files.createDirectories(dataDir);
            jdbc = JdbcSettings.h2File(dataDir.toAbsolutePath());
        }
        return new StandaloneNode.Settings(gateway, api, jdbc, publicHost, tokenTtl, secretHashIterations, nodeId,
                handlerSettings);
    }

    private String displayHost() {
        return "0.0.0.0".equals(bind) ? "127.0.0.1" : bind;
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
