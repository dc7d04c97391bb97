package io.herald.server.cluster;

import io.herald.api.ApiDependencies;
import io.herald.api.ApiSettings;
import io.herald.api.GatewayStatus;
import io.herald.api.HealthCheck;
import io.herald.api.HttpApiServer;
import io.herald.cluster.discovery.CuratorClients;
import io.herald.cluster.discovery.DiscoverySettings;
import io.herald.cluster.discovery.GatewayDirectory;
import io.herald.cluster.link.ClusterSecret;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.link.tls.LinkTls;
import io.herald.cluster.push.ClusterPushService;
import io.herald.cluster.push.ClusterSessionDirectory;
import io.herald.cluster.redis.DepartedGatewaySweeper;
import io.herald.cluster.redis.RedisConnections;
import io.herald.cluster.redis.RedisRevocations;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.cluster.redis.RedisSettings;
import io.herald.cluster.routing.ClusterGatewayLocator;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.core.device.DeviceService;
import io.herald.core.event.Events;
import io.herald.core.idempotency.IdempotencyStore;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.push.PushService;
import io.herald.core.security.SecretHasher;
import io.herald.core.security.SignedTokenStore;
import io.herald.core.security.TokenKeyRing;
import io.herald.core.security.TokenVerifier;
import io.herald.core.store.OfflineStore;
import io.herald.core.time.Durations;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.server.node.Closer;
import io.herald.server.node.ExecutorCloser;
import io.herald.server.node.NodeMetrics;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.GroupCommitOfflineStore;
import io.herald.store.jdbc.JdbcDeviceStore;
import io.herald.store.jdbc.JdbcDeviceTags;
import io.herald.store.jdbc.JdbcIdempotencyStore;
import io.herald.store.jdbc.JdbcMessageStatuses;
import io.herald.store.jdbc.JdbcSettings;
import io.herald.store.jdbc.JdbcUpstreamArchive;
import io.herald.store.jdbc.OfflineStoreSize;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster API node's composition root: database, Redis, the live gateway view from ZooKeeper, the links to
 * the gateways, the push routing, and the HTTP API last, so a load balancer sees it healthy only when it can
 * serve. Stops in reverse.
 */
public final class ClusterApiNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterApiNode.class);
    private static final Duration INITIAL_VIEW_WAIT = Duration.ofSeconds(15);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(1);

    /**
     * Everything an API node can be told.
     *
     * @param tls the key and certificate to serve HTTPS with, or null for plain HTTP
     * @param linkTls TLS on the internal link ({@link LinkTls#OFF}: plain TCP)
     * @param events  where the expiries its housekeeping purges are told, and how long outcomes are answered
     */
    public record Settings(ApiSettings api, int nodeNumber, String routing, Duration linkTimeout, Duration tokenTtl,
                           int secretHashIterations, DiscoverySettings discovery, RedisSettings redis,
                           String clusterSecret, JdbcSettings jdbc, TlsKeyMaterial tls, LinkTls linkTls,
                           ClusterEvents events) {

        /** Without events; outcomes for the default retention. */
        public Settings(ApiSettings api, int nodeNumber, String routing, Duration linkTimeout, Duration tokenTtl,
                        int secretHashIterations, DiscoverySettings discovery, RedisSettings redis,
                        String clusterSecret, JdbcSettings jdbc, TlsKeyMaterial tls, LinkTls linkTls) {
            this(api, nodeNumber, routing, linkTimeout, tokenTtl, secretHashIterations, discovery, redis,
                    clusterSecret, jdbc, tls, linkTls, ClusterEvents.OFF);
        }

        /** Plain HTTP. */
        public Settings(ApiSettings api, int nodeNumber, String routing, Duration linkTimeout, Duration tokenTtl,
                        int secretHashIterations, DiscoverySettings discovery, RedisSettings redis,
                        String clusterSecret, JdbcSettings jdbc) {
            this(api, nodeNumber, routing, linkTimeout, tokenTtl, secretHashIterations, discovery, redis,
                    clusterSecret, jdbc, null, LinkTls.OFF);
        }

        /** These settings with {@code newEvents}. */
        public Settings withEvents(ClusterEvents newEvents) {
            return new Settings(api, nodeNumber, routing, linkTimeout, tokenTtl, secretHashIterations, discovery,
                    redis, clusterSecret, jdbc, tls, linkTls, newEvents);
        }

        @Override
        public String toString() {
            return "Settings[node=" + nodeNumber + ", routing=" + routing + "]";
        }
    }

    private final Closer closer = new Closer();
    private final GatewayDirectory directory;
    private final int httpPort;

    private ClusterApiNode(Settings settings) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        String nodeName = "api-" + settings.nodeNumber();
        try {
            PrometheusMeterRegistry meters = NodeMetrics.create("api", nodeName);
            closer.add(meters::close);
            Database database = closer.add(Database.open(settings.jdbc(), meters));
            JdbcDeviceStore devices = new JdbcDeviceStore(database);
            JdbcIdempotencyStore idempotencyKeys = new JdbcIdempotencyStore(database);
            // Concurrent pushes share one commit of their stores (the push waits for it without holding a thread).
            GroupCommitOfflineStore offline = closer.add(new GroupCommitOfflineStore(database));
            JdbcMessageStatuses messageStatuses = new JdbcMessageStatuses(database, offline,
                    settings.events().messageStatusRetention());
            Events events = settings.events().start(closer, nodeName, meters, clock);
            RedisConnections redis = closer.add(RedisConnections.open(settings.redis(), meters));
            RedisSessionRegistry sessions = new RedisSessionRegistry(redis, clock);

            CuratorFramework curator = closer.add(CuratorClients.newClient(settings.discovery()));
            curator.start();
            directory = closer.add(GatewayDirectory.start(curator, settings.discovery()));
            if (!directory.awaitInitialized(INITIAL_VIEW_WAIT)) {
                throw new IllegalStateException("no view of the gateways from ZooKeeper at "
                        + settings.discovery().connectString() + " within " + Durations.format(INITIAL_VIEW_WAIT));
            }
            directory.addListener(new DepartedGatewaySweeper(sessions));

            ExecutorService blocking = closer.add(new ExecutorCloser(Executors.newFixedThreadPool(4,
                    ExecutorCloser.daemonThreads("herald-push-store")))).executor();
            GatewayLinks links = closer.add(GatewayLinks.create(nodeName,
                    LinkSettings.of(settings.clusterSecret()).withRequestTimeout(settings.linkTimeout())
                            .withTls(settings.linkTls()), meters));
            directory.addListener(links);
            links.update(directory.membership());
            PushService push = ClusterPushService.create(directory::membership, sessions, links, devices, offline,
                    blocking);
            ClusterSessionDirectory sessionDirectory = new ClusterSessionDirectory(directory::membership, sessions,
                    links);

            DeviceService deviceService = new DeviceService(devices, new SignedTokenStore(
                    new TokenVerifier(TokenKeyRing.of(ClusterSecret.of(settings.clusterSecret()).tokenKey()), clock),
                    new RedisRevocations(redis, clock, settings.tokenTtl())),
                    new SecretHasher(settings.secretHashIterations()), settings.tokenTtl(), clock);
            HttpApiServer api = closer.add(new HttpApiServer(settings.api(), new ApiDependencies(
                    new ApiDependencies.Devices(deviceService, sessionDirectory,
                            new ClusterGatewayLocator(directory::membership,
                                    RoutingStrategies.byName(settings.routing())),
                            offline, new JdbcUpstreamArchive(database), new JdbcDeviceTags(database)),
                    new ApiDependencies.Push(push, new MessageIdGenerator(clock, settings.nodeNumber()),
                            idempotencyKeys, messageStatuses),
                    new ApiDependencies.Ops(meters, List.of(
                            HealthCheck.of("database", database::isHealthy),
                            HealthCheck.of("redis", () -> ClusterHealth.redisAnswers(redis)),
                            HealthCheck.of("zookeeper", () -> curator.getZookeeperClient().isConnected()),
                            HealthCheck.of("gateways", () -> !directory.membership().isEmpty()))),
                    clock, new ApiDependencies.Console("api", nodeName, () -> gatewayStatuses(directory))),
                    settings.tls()));
            httpPort = api.start();

            ScheduledExecutorService housekeeping = closer.add(new ExecutorCloser(
                    Executors.newSingleThreadScheduledExecutor(ExecutorCloser.daemonThreads("herald-housekeeping")))).scheduled();
            housekeeping.scheduleWithFixedDelay(() -> purgeExpired(offline, idempotencyKeys,
                    messageStatuses, events, clock), HOUSEKEEPING_INTERVAL.toMillis(),
                    HOUSEKEEPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            OfflineStoreSize offlineSize = new OfflineStoreSize(database, meters);
            housekeeping.scheduleWithFixedDelay(offlineSize::refresh, 0, OfflineStoreSize.REFRESH_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException | InterruptedException e) {
            closer.close();
            throw e;
        }
        log.info("API node {} ready on port {}: {} gateway(s) live, routing {}", settings.nodeNumber(), httpPort,
                directory.membership().size(), settings.routing());
    }

    public static ClusterApiNode start(Settings settings) throws InterruptedException {
        return new ClusterApiNode(settings);
    }

    public int httpPort() {
        return httpPort;
    }

    public int liveGateways() {
        return directory.membership().size();
    }

    /** The live gateways as ZooKeeper has them, for the console's overview. */
    private static List<GatewayStatus> gatewayStatuses(GatewayDirectory directory) {
        return directory.membership().nodes().stream()
                .map(node -> new GatewayStatus(node.id(), GatewayStatus.hostPort(node.host(), node.tcpPort()),
                        node.connections(), node.startedAt()))
                .toList();
    }

    /** Every API node runs it: the deletes are idempotent, and each expired copy is deleted (and told) once. */
    private static void purgeExpired(OfflineStore offline, IdempotencyStore idempotencyKeys,
                                     JdbcMessageStatuses messageStatuses, Events events, Clock clock) {
        try {
            int expired = offline.purgeExpired(clock.millis(), events::messageExpired);
            int expiredKeys = idempotencyKeys.purgeExpired(clock.millis());
            int oldOutcomes = messageStatuses.purgeOlderThanRetention(clock.millis());
            if (expired + expiredKeys + oldOutcomes > 0) {
                log.info("housekeeping: dropped {} expired offline message(s), {} expired idempotency key(s) and {}"
                        + " message outcome(s) past their retention", expired, expiredKeys, oldOutcomes);
            }
        } catch (RuntimeException e) {
            log.warn("housekeeping failed; will try again", e);
        }
    }


    @Override
    public void close() {
        closer.close();
        log.info("API node stopped");
    }
}
