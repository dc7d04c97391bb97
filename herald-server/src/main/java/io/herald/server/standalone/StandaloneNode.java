package io.herald.server.standalone;

import io.herald.api.ApiDependencies;
import io.herald.api.ApiSettings;
import io.herald.api.HealthCheck;
import io.herald.api.HttpApiServer;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.core.device.DeviceService;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.security.LocalRevocations;
import io.herald.core.security.SignedTokenStore;
import io.herald.core.security.TokenKey;
import io.herald.core.security.TokenKeyFile;
import io.herald.core.security.TokenKeyRing;
import io.herald.core.security.TokenVerifier;
import io.herald.core.security.SecretHasher;
import io.herald.gateway.Gateway;
import io.herald.gateway.GatewayCore;
import io.herald.gateway.GatewaySettings;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.tls.DeviceTls;
import io.herald.server.node.EventLoopProbe;
import io.herald.server.node.NodeMetrics;
import io.herald.store.jdbc.ArchiveRetention;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcDeviceStore;
import io.herald.store.jdbc.GroupCommitOfflineStore;
import io.herald.store.jdbc.JdbcRevocationLog;
import io.herald.store.jdbc.JdbcSettings;
import io.herald.store.jdbc.JdbcUpstreamArchive;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every role in one JVM on embedded defaults: the composition root of standalone mode. Reads top to bottom
 * like a deployment: metrics, database, stores, tokens, gateway, HTTP API, housekeeping. Closes in reverse.
 */
public final class StandaloneNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneNode.class);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(1);

    /**
     * Everything standalone can be told.
     *
     * @param tls the key and certificate for device TCP, WebSocket and the HTTP API, or null for no TLS
     * @param archiveRetention how long upstream messages stay in the archive; zero: forever
     * @param dataDirectory where the token key file is kept ({@link TokenKeyFile}); null: a key for this process
     *                      only, so tokens do not survive a restart (a node on an in-memory database, in tests)
     */
    public record Settings(GatewaySettings gateway, ApiSettings api, JdbcSettings jdbc, String publicHost,
                           Duration tokenTtl, int secretHashIterations, int nodeId,
                           Map<String, String> handlerSettings, TlsKeyMaterial tls, Duration archiveRetention,
                           Path dataDirectory) {

        public Settings {
            ArchiveRetention.requireValid(archiveRetention);
        }

        /** With the token keys next to an embedded H2 file database, and none kept for any other database. */
        public Settings(GatewaySettings gateway, ApiSettings api, JdbcSettings jdbc, String publicHost,
                        Duration tokenTtl, int secretHashIterations, int nodeId, Map<String, String> handlerSettings,
                        TlsKeyMaterial tls, Duration archiveRetention) {
            this(gateway, api, jdbc, publicHost, tokenTtl, secretHashIterations, nodeId, handlerSettings, tls,
                    archiveRetention, jdbc.h2FileDirectory().orElse(null));
        }

        /** With the {@link ArchiveRetention#DEFAULT_RETENTION default archive retention}. */
        public Settings(GatewaySettings gateway, ApiSettings api, JdbcSettings jdbc, String publicHost,
                        Duration tokenTtl, int secretHashIterations, int nodeId, Map<String, String> handlerSettings,
                        TlsKeyMaterial tls) {
            this(gateway, api, jdbc, publicHost, tokenTtl, secretHashIterations, nodeId, handlerSettings, tls,
                    ArchiveRetention.DEFAULT_RETENTION);
        }

        /** Without TLS. */
        public Settings(GatewaySettings gateway, ApiSettings api, JdbcSettings jdbc, String publicHost,
                        Duration tokenTtl, int secretHashIterations, int nodeId, Map<String, String> handlerSettings) {
            this(gateway, api, jdbc, publicHost, tokenTtl, secretHashIterations, nodeId, handlerSettings, null);
        }
    }

    private final PrometheusMeterRegistry meters;
    private final Database database;
    private final Gateway gateway;
    private final HttpApiServer api;
    private final GroupCommitOfflineStore offlineStore;
    private final ScheduledExecutorService housekeeping;
    private final ArchiveRetention retention;
    private final int httpPort;

    private StandaloneNode(Settings settings) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        meters = NodeMetrics.create("standalone", "standalone");

        database = Database.open(settings.jdbc()); // first: it makes the data directory (0700) the key file goes in
        JdbcDeviceStore devices = new JdbcDeviceStore(database);
        // QoS 1 stores of concurrent pushes and the ACK deletes of many devices share one commit and one file sync.
        GroupCommitOfflineStore offline = new GroupCommitOfflineStore(database);
        JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database);
        TokenKeyRing keys;
        LocalRevocations revocations;
        try {
            keys = settings.dataDirectory() == null ? TokenKeyRing.of(TokenKey.random(1, new SecureRandom()))
                    : TokenKeyFile.loadOrCreate(settings.dataDirectory(), new SecureRandom());
            revocations = new LocalRevocations(new JdbcRevocationLog(database), clock, settings.tokenTtl());
        } catch (RuntimeException e) {
            offline.close();
            database.close();
            throw e;
        }
        SignedTokenStore tokens = new SignedTokenStore(new TokenVerifier(keys, clock), revocations);

        Gateway started = null;
        HttpApiServer startedApi = null;
        try {
            started = Gateway.start(settings.gateway(), new GatewayCore.Dependencies(
                    DeviceAuthenticator.inMemory(tokens), devices, offline, archive, meters, clock,
                    settings.handlerSettings()), settings.tls() == null ? null : DeviceTls.of(settings.tls()));
            DeviceService deviceService = new DeviceService(devices, tokens,
                    new SecretHasher(settings.secretHashIterations()), settings.tokenTtl(), clock);
            LocalGatewayLocator locator = new LocalGatewayLocator(settings.publicHost(),
                    settings.gateway().bindAddress(), started.tcpPort(), started.wsPort(),
                    settings.gateway().wsPath(), started.tls());
            Gateway node = started;
            startedApi = new HttpApiServer(settings.api(), new ApiDependencies(
                    new ApiDependencies.Devices(deviceService, started.sessions(), locator, offline, archive),
                    new ApiDependencies.Push(started.pushService(), new MessageIdGenerator(clock, settings.nodeId())),
                    new ApiDependencies.Ops(meters, List.of(
                            HealthCheck.of("database", database::isHealthy),
                            HealthCheck.of("gateway", () -> node.tcpPort() > 0 || node.wsPort() > 0)),
                            List.of(HealthCheck.of("event-loops", () -> EventLoopProbe.responds(node.eventLoops(),
                                    EventLoopProbe.DEFAULT_LIMIT)))),
                    clock), settings.tls());
            httpPort = startedApi.start();
        } catch (RuntimeException | InterruptedException e) {
            if (startedApi != null) {
                startedApi.close();
            }
            if (started != null) {
                started.close();
            }
            offline.close();
            database.close();
            throw e;
        }
        gateway = started;
        api = startedApi;

        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        offlineStore = offline;
        housekeeping.scheduleWithFixedDelay(() -> purge(revocations, offline, clock), HOUSEKEEPING_INTERVAL.toMillis(),
                HOUSEKEEPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        retention = ArchiveRetention.start(archive, settings.archiveRetention(), clock);
        log.info("Herald standalone ready: HTTP {}, device TCP {}, WebSocket {}, data in {}", httpPort,
                gateway.tcpPort(), gateway.wsPort(), settings.jdbc().jdbcUrl().replaceAll(";.*", ""));
    }

    public static StandaloneNode start(Settings settings) throws InterruptedException {
        return new StandaloneNode(settings);
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return gateway.tcpPort();
    }

    public int wsPort() {
        return gateway.wsPort();
    }

    public Gateway gateway() {
        return gateway;
    }


    private static void purge(LocalRevocations revocations, GroupCommitOfflineStore offline, Clock clock) {
        try {
            int expiredRevocations = revocations.purgeExpired();
            int expiredMessages = offline.purgeExpired(clock.millis());
            if (expiredRevocations + expiredMessages > 0) {
                log.info("housekeeping: dropped {} expired token revocation(s) and {} expired offline message(s)",
                        expiredRevocations, expiredMessages);
            }
        } catch (RuntimeException e) {
            log.warn("housekeeping failed; will try again", e);
        }
    }

    /** Stops the API first (no new pushes), then the gateway (storing undelivered messages), then the database. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** Like {@link #close()}, with devices told to reconnect each at a random moment within {@code reconnectWindow}. */
    public void close(Duration reconnectWindow) {
        housekeeping.shutdownNow();
        retention.close();
        api.close();
        gateway.close(reconnectWindow);
        offlineStore.close(); // writes what the gateway's close queued
        database.close();
        meters.close();
        log.info("Herald standalone stopped");
    }
}
