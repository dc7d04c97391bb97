package io.herald.server.standalone;

import io.herald.api.ApiDependencies;
import io.herald.api.ApiSettings;
import io.herald.api.HealthCheck;
import io.herald.api.HttpApiServer;
import io.herald.api.webhook.WebhookPublisher;
import io.herald.api.webhook.WebhookSettings;
import io.herald.core.event.EventSink;
import io.herald.core.event.Events;
import io.herald.core.session.SessionEvents;
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
import io.herald.gateway.tls.TicketSecret;
import io.herald.gateway.tls.TicketSecretFile;
import io.herald.server.node.EventLoopProbe;
import io.herald.server.node.NodeMetrics;
import io.herald.store.jdbc.ArchiveRetention;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcDeviceStore;
import io.herald.store.jdbc.JdbcDeviceTags;
import io.herald.store.jdbc.JdbcIdempotencyStore;
import io.herald.store.jdbc.JdbcMessageStatuses;
import io.herald.store.jdbc.ClosableOfflineStore;
import io.herald.store.jdbc.InflightLogOfflineStore;
import io.herald.store.jdbc.JdbcRevocationLog;
import io.herald.store.jdbc.JdbcSettings;
import io.herald.store.jdbc.JdbcUpstreamArchive;
import io.herald.store.jdbc.OfflineStoreSize;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     * @param events        where events go and how long QoS 1 outcomes are kept (docs/events.md)
     */
    public record Settings(GatewaySettings gateway, ApiSettings api, JdbcSettings jdbc, String publicHost,
                           Duration tokenTtl, int secretHashIterations, int nodeId,
                           Map<String, String> handlerSettings, TlsKeyMaterial tls, Duration archiveRetention,
                           Path dataDirectory, BackendEvents events) {

        public Settings {
            ArchiveRetention.requireValid(archiveRetention);
            Objects.requireNonNull(events, "events");
        }

        /** Without a webhook, outcomes kept for the default retention. */
        public Settings(GatewaySettings gateway, ApiSettings api, JdbcSettings jdbc, String publicHost,
                        Duration tokenTtl, int secretHashIterations, int nodeId, Map<String, String> handlerSettings,
                        TlsKeyMaterial tls, Duration archiveRetention, Path dataDirectory) {
            this(gateway, api, jdbc, publicHost, tokenTtl, secretHashIterations, nodeId, handlerSettings, tls,
                    archiveRetention, dataDirectory, BackendEvents.DEFAULT);
        }

        /** These settings with events posted to a webhook. */
        public Settings withWebhook(WebhookSettings webhook) {
            return new Settings(gateway, api, jdbc, publicHost, tokenTtl, secretHashIterations, nodeId,
                    handlerSettings, tls, archiveRetention, dataDirectory,
                    new BackendEvents(webhook, events.messageStatusRetention()));
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

    /**
     * What the business backend hears.
     *
     * @param webhook                where events are posted; null: nowhere
     * @param messageStatusRetention how long acked and expired outcomes are answered
     */
    public record BackendEvents(WebhookSettings webhook, Duration messageStatusRetention) {
        public static final BackendEvents DEFAULT = new BackendEvents(null, JdbcMessageStatuses.DEFAULT_RETENTION);

        public BackendEvents {
            Objects.requireNonNull(messageStatusRetention, "messageStatusRetention");
        }
    }

    private final PrometheusMeterRegistry meters;
    private final Database database;
    private final Gateway gateway;
    private final HttpApiServer api;
    private final ClosableOfflineStore offlineStore;
    /** Null without a webhook. */
    private final WebhookPublisher webhook;
    private final ScheduledExecutorService housekeeping;
    private final ArchiveRetention retention;
    private final int httpPort;

    private StandaloneNode(Settings settings) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        meters = NodeMetrics.create("standalone", "standalone");

        database = Database.open(settings.jdbc(), meters); // first: it makes the data directory (0700) the key file goes in
        // QoS 1 copies in flight go to an append-only log beside the H2 file (one fsync per group of stores and
        // ACKs); what stays unacked moves to the offline table. Replays what the last run left, before serving.
        ClosableOfflineStore offline;
        try {
            offline = InflightLogOfflineStore.forNode(database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        JdbcDeviceStore devices = new JdbcDeviceStore(database, offline); // a deleted device's copies go too
        JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database);
        JdbcIdempotencyStore idempotencyKeys = new JdbcIdempotencyStore(database);
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
        WebhookPublisher publisher = settings.events().webhook() == null ? null
                : WebhookPublisher.start(settings.events().webhook(), meters, clock);
        Events events = new Events(settings.gateway().gatewayId(), clock, publisher == null ? EventSink.NONE
                : publisher);
        JdbcMessageStatuses messageStatuses = new JdbcMessageStatuses(database, offline,
                settings.events().messageStatusRetention());
        try {
            // One id sequence for the node: pushes from the API and from upstream handlers never share an id.
            MessageIdGenerator messageIds = new MessageIdGenerator(clock, settings.nodeId());
            started = Gateway.start(settings.gateway(), new GatewayCore.Dependencies(
                    DeviceAuthenticator.inMemory(tokens), devices, offline, archive, meters, clock,
                    settings.handlerSettings(), SessionEvents.NONE, events), settings.tls() == null ? null : DeviceTls.of(settings.tls(), ticketSecret(settings)),
                    messageIds);
            DeviceService deviceService = new DeviceService(devices, tokens,
                    new SecretHasher(settings.secretHashIterations()), settings.tokenTtl(), clock);
            LocalGatewayLocator locator = new LocalGatewayLocator(settings.publicHost(),
                    settings.gateway().bindAddress(), started.tcpPort(), started.wsPort(),
                    settings.gateway().wsPath(), started.tls());
            Gateway node = started;
            startedApi = new HttpApiServer(settings.api(), new ApiDependencies(
                    new ApiDependencies.Devices(deviceService, started.sessions(), locator, offline, archive,
                            new JdbcDeviceTags(database)),
                    new ApiDependencies.Push(started.pushService(), messageIds,
                            idempotencyKeys, messageStatuses),
                    new ApiDependencies.Ops(meters, List.of(
                            HealthCheck.of("database", database::isHealthy),
                            HealthCheck.of("gateway", () -> node.tcpPort() > 0 || node.wsPort() > 0)),
                            List.of(HealthCheck.of("event-loops", () -> EventLoopProbe.responds(node.eventLoops(),
                                    EventLoopProbe.DEFAULT_LIMIT)))),
                    // The embedded gateway's connections are in this node's own meters: no other gateway to list.
                    clock, new ApiDependencies.Console("standalone", "standalone", List::of)), settings.tls());
            httpPort = startedApi.start();
        } catch (RuntimeException | InterruptedException e) {
            if (startedApi != null) {
                startedApi.close();
            }
            if (started != null) {
                started.close();
            }
            if (publisher != null) {
                publisher.close();
            }
            offline.close();
            database.close();
            throw e;
        }
        gateway = started;
        api = startedApi;
        webhook = publisher;

        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        offlineStore = offline;
        housekeeping.scheduleWithFixedDelay(() -> purge(revocations, offline, idempotencyKeys, messageStatuses, events,
                        clock), HOUSEKEEPING_INTERVAL.toMillis(),
                HOUSEKEEPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        OfflineStoreSize offlineSize = new OfflineStoreSize(database, meters);
        housekeeping.scheduleWithFixedDelay(offlineSize::refresh, 0, OfflineStoreSize.REFRESH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
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

    /**
     * The secret the gateway's TLS session tickets are sealed with: in the data directory, so devices resume their
     * sessions after a restart; for this process only without one.
     */
    private static TicketSecret ticketSecret(Settings settings) {
        return settings.dataDirectory() == null ? TicketSecret.random(new SecureRandom())
                : TicketSecretFile.loadOrCreate(settings.dataDirectory(), new SecureRandom());
    }

    private static void purge(LocalRevocations revocations, ClosableOfflineStore offline,
                              JdbcIdempotencyStore idempotencyKeys, JdbcMessageStatuses messageStatuses,
                              Events events, Clock clock) {
        try {
            int expiredRevocations = revocations.purgeExpired();
            int expiredMessages = offline.purgeExpired(clock.millis(), events::messageExpired);
            int expiredKeys = idempotencyKeys.purgeExpired(clock.millis());
            int oldOutcomes = messageStatuses.purgeOlderThanRetention(clock.millis());
            if (expiredRevocations + expiredMessages + expiredKeys + oldOutcomes > 0) {
                log.info("housekeeping: dropped {} expired token revocation(s), {} expired offline message(s), {}"
                        + " expired idempotency key(s) and {} message outcome(s) past their retention",
                        expiredRevocations, expiredMessages, expiredKeys, oldOutcomes);
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
        // With "stopped" below, the log shows how long each part of a stop takes (API, drain, store, database).
        log.info("Herald standalone stopping");
        housekeeping.shutdownNow();
        retention.close();
        api.close();
        gateway.close(reconnectWindow);
        if (webhook != null) {
            webhook.close(); // posts the disconnects of the gateway's close, for a few seconds at most
        }
        offlineStore.close(); // writes what the gateway's close queued
        database.close();
        meters.close();
        log.info("Herald standalone stopped");
    }
}
