package io.herald.server.standalone;

import io.herald.api.ApiSettings;
import io.herald.gateway.GatewaySettings;
import io.herald.store.jdbc.JdbcSettings;
import io.herald.store.jdbc.PrivateH2Files;
import io.herald.store.jdbc.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import io.herald.server.cli.LogOptions;
import io.herald.server.cli.MessageStatusOption;
import io.herald.server.cli.WebhookOptions;
import io.herald.server.cli.ArchiveRetentionOption;
import io.herald.server.cli.ConfigFileOption;
import io.herald.server.cli.DatabaseOptions;
import io.herald.server.cli.DeviceApiOptions;
import io.herald.server.cli.PushApiOptions;
import io.herald.server.cli.GatewayTuningOptions;
import io.herald.server.cli.OptionCheck;
import io.herald.core.message.MessageIdGenerator;
import io.herald.server.cli.ShutdownOptions;
import io.herald.server.cli.TlsOptions;
import io.herald.server.tls.SelfSignedTls;
import io.herald.server.node.ReadyLine;
import io.herald.server.node.RunUntilStopped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code herald standalone}: the whole system in one process on embedded defaults. */
@Command(name = "standalone", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs gateway, HTTP API and embedded store in one process; no outside service needed.",
                "Ports set to 0 are picked free and logged."})
public final class StandaloneCommand implements Callable<Integer> {

    @Mixin
    LogOptions logs;
    private static final Logger log = LoggerFactory.getLogger(StandaloneCommand.class);

    @Mixin
    ConfigFileOption configFile;

    @Mixin
    GatewayTuningOptions tuning;

    @Mixin
    DatabaseOptions database;

    @Mixin
    DeviceApiOptions deviceApi;

    @Mixin
    PushApiOptions pushApi;

    @Mixin
    ShutdownOptions shutdown;

    @Mixin
    TlsOptions tls;

    @Mixin
    ArchiveRetentionOption archiveRetention;

    @Mixin
    WebhookOptions webhook;

    @Mixin
    MessageStatusOption messageStatus;

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

    @Option(names = "--public-host", description = "Host name devices are told to connect to. "
            + "Default: the host they used to reach the API.")
    String publicHost;

    @Option(names = "--node-number", defaultValue = "0",
            description = "Number of this node, 0-1023, inside every message id it issues (default: ${DEFAULT-VALUE}).")
    int nodeNumber;

    /** The old spelling of --node-number, kept for existing scripts; not in the help. */
    @Option(names = "--node-id", hidden = true)
    Integer deprecatedNodeId;

    @Override
    public Integer call() throws Exception {
        logs.apply("standalone-" + nodeNumber());
        String configuredKey = deviceApi.apiKey();
        boolean generatedKey = configuredKey == null;
        String key = generatedKey ? randomKey() : configuredKey;
        StandaloneNode.Settings settings = settings(key);
        Duration drainWindow = shutdown.drainWindow();
        Duration deadline = shutdown.shutdownDeadline();
        // Held until the process ends: a second server on this directory is refused before it opens anything.
        DataDirectoryLock dataDirectoryLock = settings.jdbc().jdbcUrl().startsWith("jdbc:h2:")
                ? DataDirectoryLock.acquire(dataDir) : null;
        StandaloneNode node;
        try {
            node = StandaloneNode.start(settings);
        } catch (RuntimeException | InterruptedException e) {
            if (dataDirectoryLock != null) {
                dataDirectoryLock.close();
            }
            throw e;
        }
        if (generatedKey) {
            System.out.println("Generated API key (pass --api-key to choose one): " + key);
        }
        if (tls.selfSigned()) {
            System.out.println("Self-signed TLS certificate (make clients trust this file): "
                    + SelfSignedTls.certificateFile(selfSignedDirectory()).toAbsolutePath());
        }
        ReadyLine.print("Herald standalone is up: HTTP %s://%s:%d  device TCP %d  WebSocket %d%s%s",
                tls.enabled() ? "https" : "http", displayHost(), node.httpPort(), node.tcpPort(), node.wsPort(),
                node.gateway().mqttPort() < 0 ? "" : "  MQTT " + node.gateway().mqttPort(),
                tls.enabled() ? "  (TLS)" : "");
        RunUntilStopped.await(() -> node.close(drainWindow), deadline);
        return 0;
    }

    /** Every option checked, before anything is opened or bound; a refusal names its option. */
    StandaloneNode.Settings settings(String key) throws java.io.IOException {
        OptionCheck.address("--bind", bind);
        OptionCheck.port("--http-port", httpPort, false);
        OptionCheck.port("--tcp-port", tcpPort, true);
        OptionCheck.port("--ws-port", wsPort, true);
        if (tcpPort == -1 && wsPort == -1) {
            throw new IllegalArgumentException("--tcp-port and --ws-port are both -1: devices need one listener");
        }
        if (publicHost != null) {
            OptionCheck.address("--public-host", publicHost);
        }
        int nodeNumber = nodeNumber();
        deviceApi.check();
        shutdown.drainWindow();
        shutdown.shutdownDeadline();
        StandaloneNode.BackendEvents events = new StandaloneNode.BackendEvents(webhook.settings().orElse(null),
                messageStatus.retention());
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("--data-dir " + dataDir.toAbsolutePath() + " is not a directory");
        }
        GatewaySettings gateway = tuning.settings("standalone", bind, tcpPort, wsPort);
        ApiSettings api = new ApiSettings(httpPort, bind, key, deviceApi.openRegistration(),
                ApiSettings.DEFAULT_MAX_REQUEST_BYTES,
                Math.min(ApiSettings.HARD_MAX_PAYLOAD_BYTES, tuning.maxFrameBytes() - ApiSettings.FRAME_OVERHEAD_BYTES),
                ApiSettings.DEFAULT_TTL, ApiSettings.DEFAULT_MAX_TTL).withLimits(deviceApi.limits())
                .withCorsOrigins(deviceApi.corsOrigins());
        api = pushApi.apply(api);
        Duration retention = archiveRetention.retention();
        JdbcSettings jdbc = database.settings().orElse(null);
        if (jdbc == null) {
            try {
                PrivateH2Files.prepareDirectory(dataDir); // 0700 before anything (TLS files, database) goes in
            } catch (StoreException e) {
                throw new IllegalArgumentException("--data-dir " + dataDir.toAbsolutePath() + " cannot be created: "
                        + e.getCause(), e);
            }
            jdbc = JdbcSettings.h2File(dataDir.toAbsolutePath());
        }
        return new StandaloneNode.Settings(gateway, api, jdbc, publicHost, deviceApi.tokenTtl(),
                deviceApi.secretHashIterations(), nodeNumber,
                tuning.handlerSettings(),
                tls.keyMaterial(selfSignedDirectory(), TlsOptions.hostNames(publicHost, bind)).orElse(null),
                retention, dataDir.toAbsolutePath(),
                events);
    }

    private int nodeNumber() {
        if (deprecatedNodeId != null) {
            log.warn("--node-id is deprecated: use --node-number");
        }
        int number = deprecatedNodeId != null ? deprecatedNodeId : nodeNumber;
        return OptionCheck.between(deprecatedNodeId != null ? "--node-id (now --node-number)" : "--node-number",
                number, 0, MessageIdGenerator.MAX_NODE);
    }

    private Path selfSignedDirectory() {
        return dataDir.resolve("tls");
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
