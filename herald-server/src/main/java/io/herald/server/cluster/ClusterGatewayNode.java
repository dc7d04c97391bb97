package io.herald.server.cluster;

import io.herald.api.ApiDependencies;
import io.herald.core.event.Events;
import io.herald.api.HealthCheck;
import io.herald.api.OpsHttpServer;
import io.herald.cluster.discovery.CuratorClients;
import io.herald.cluster.discovery.DiscoverySettings;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.discovery.GatewayRegistration;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.cluster.kafka.KafkaUpstreamPublisher;
import io.herald.cluster.kafka.KafkaUpstreamSink;
import io.herald.cluster.kafka.UpstreamTopic;
import io.herald.cluster.link.ClusterSecret;
import io.herald.cluster.link.LinkEndpoint;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.server.LinkServer;
import io.herald.cluster.link.tls.LinkTls;
import io.herald.cluster.redis.RedisConnections;
import io.herald.cluster.redis.RedisRevocationMirror;
import io.herald.cluster.redis.RedisRevocations;
import io.herald.cluster.redis.RedisSessionEvents;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.cluster.redis.RedisSettings;
import io.herald.cluster.redis.SessionNotices;
import io.herald.core.security.TokenKeyRing;
import io.herald.core.security.TokenVerifier;
import io.herald.core.session.SessionInfo;
import io.herald.core.time.Durations;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.gateway.Gateway;
import io.herald.gateway.GatewayCore;
import io.herald.gateway.GatewaySettings;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.session.SignedTokenAuthenticator;
import io.herald.gateway.tls.DeviceTls;
import io.herald.gateway.tls.TicketSecret;
import io.herald.server.node.Closer;
import io.herald.server.node.EventLoopProbe;
import io.herald.server.node.NodeMetrics;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.GroupCommitOfflineStore;
import io.herald.store.jdbc.JdbcDeviceStore;
import io.herald.store.jdbc.JdbcSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cluster gateway's composition root. Starts in dependency order: database, Redis, Kafka, the device gateway,
 * the internal link, and last the ZooKeeper registration, so API nodes route to it only once it can serve. Stops
 * in the opposite order: leave routing first, then close devices (their undelivered messages are stored).
 */
public final class ClusterGatewayNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterGatewayNode.class);
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(15);
    private static final Duration STALE_SESSION_SWEEP_WAIT = Duration.ofSeconds(10);

    /**
     * Everything a cluster gateway can be told.
     *
     * @param tls the key and certificate for device TCP and WebSocket, or null for no TLS (the ops port stays
     *            plain)
     * @param linkTls TLS on the internal link ({@link LinkTls#OFF}: plain TCP)
     * @param events  where the gateway's events (connects, disconnects, ACKs) go
     */
    public record Settings(GatewaySettings gateway, String publicHost, int internalPort, int opsPort, int weight,
                           DiscoverySettings discovery, RedisSettings redis, String clusterSecret,
                           KafkaSettings kafka, JdbcSettings jdbc, Map<String, String> handlerSettings,
                           TlsKeyMaterial tls, LinkTls linkTls, ClusterEvents events) {

        /** Without events. */
        public Settings(GatewaySettings gateway, String publicHost, int internalPort, int opsPort, int weight,
                        DiscoverySettings discovery, RedisSettings redis, String clusterSecret, KafkaSettings kafka,
                        JdbcSettings jdbc, Map<String, String> handlerSettings, TlsKeyMaterial tls, LinkTls linkTls) {
            this(gateway, publicHost, internalPort, opsPort, weight, discovery, redis, clusterSecret, kafka, jdbc,
                    handlerSettings, tls, linkTls, ClusterEvents.OFF);
        }

        /** Without TLS. */
        public Settings(GatewaySettings gateway, String publicHost, int internalPort, int opsPort, int weight,
                        DiscoverySettings discovery, RedisSettings redis, String clusterSecret, KafkaSettings kafka,
                        JdbcSettings jdbc, Map<String, String> handlerSettings) {
            this(gateway, publicHost, internalPort, opsPort, weight, discovery, redis, clusterSecret, kafka, jdbc,
                    handlerSettings, null, LinkTls.OFF);
        }

        /** These settings with {@code newEvents}. */
        public Settings withEvents(ClusterEvents newEvents) {
            return new Settings(gateway, publicHost, internalPort, opsPort, weight, discovery, redis, clusterSecret,
                    kafka, jdbc, handlerSettings, tls, linkTls, newEvents);
        }

        @Override
        public String toString() {
            return "Settings[gateway=" + gateway.gatewayId() + ", publicHost=" + publicHost + "]";
        }
    }

    private final Closer closer = new Closer();
    private volatile Duration reconnectWindow = Duration.ZERO;
    private final Gateway gateway;
    private final LinkServer link;
    private final GatewayRegistration registration;
    private final int opsPort;

    private ClusterGatewayNode(Settings settings) throws InterruptedException {
        String id = settings.gateway().gatewayId();
        Clock clock = Clock.systemUTC();
        try {
            PrometheusMeterRegistry meters = NodeMetrics.create("gateway", id);
            closer.add(meters::close);
            Database database = closer.add(Database.open(settings.jdbc(), meters));
            // The ACK deletes of many devices share one commit; closed after the gateway, which stores on its way out.
            GroupCommitOfflineStore offline = closer.add(new GroupCommitOfflineStore(database));
            RedisConnections redis = closer.add(RedisConnections.open(settings.redis(), meters));
            RedisSessionRegistry sessions = new RedisSessionRegistry(redis, clock);
            // Sessions a previous run of this gateway left behind name connections that no longer exist.
            long stale = sessions.removeNode(id).get(STALE_SESSION_SWEEP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (stale > 0) {
                log.info("removed {} session(s) an earlier run of gateway {} left in redis", stale, id);
            }
            UpstreamTopic.ensureExists(settings.kafka());
            KafkaUpstreamPublisher publisher = closer.add(new KafkaUpstreamPublisher(settings.kafka(), meters));
            // Before the gateway, so it closes after it: the disconnects of the gateway's close go out too.
            Events events = settings.events().start(closer, id, meters, clock);

            AtomicReference<Gateway> self = new AtomicReference<>();
            SessionNotices notices = closer.add(SessionNotices.listen(redis, id, new SessionNotices.Receiver() {
                @Override
                public void takenOver(String clientId, String connectionId) {
                    Gateway running = self.get();
                    if (running != null) {
                        running.sessionManager().kickSession(clientId, connectionId,
                                "session taken over by a connection on another gateway");
                    }
                }

                @Override
                public void storeChanged(String clientId) {
                    Gateway running = self.get();
                    if (running != null) {
                        running.sessionManager().storeChanged(clientId);
                    }
                }
            }));
            // Tokens are checked against a copy of the revocation list first, and against Redis before AUTH_OK.
            RedisRevocationMirror revoked = closer.add(RedisRevocationMirror.start(redis, clock));
            DeviceAuthenticator tokens = new SignedTokenAuthenticator(
                    new TokenVerifier(TokenKeyRing.of(ClusterSecret.of(settings.clusterSecret()).tokenKey()), clock),
                    revoked.list(), new RedisRevocations(redis, clock)::revokesAsync);
            RedisSessionEvents sessionEvents = new RedisSessionEvents(sessions, notices, id);
            gateway = Gateway.start(settings.gateway(), new GatewayCore.Dependencies(
                    tokens, new JdbcDeviceStore(database), offline,
                    new KafkaUpstreamSink(publisher, settings.kafka()), meters, clock, settings.handlerSettings(),
                    sessionEvents, events), settings.tls() == null ? null : DeviceTls.of(settings.tls(),
                    TicketSecret.of(ClusterSecret.of(settings.clusterSecret()).tlsTicketSecret())));
            closer.add(() -> gateway.close(reconnectWindow));
            self.set(gateway);
            // A Redis restarted without persistence forgot every session: publish ours again. Pushes that came
            // meanwhile found our devices offline and were stored: once published, each session reads its store.
            redis.onReconnect(() -> {
                List<SessionInfo> active = gateway.sessionManager().activeSessions();
                sessionEvents.republish(active).thenRun(() ->
                        active.forEach(session -> gateway.sessionManager().storeChanged(session.clientId())));
            });

            link = closer.add(LinkServer.start(id, settings.gateway().bindAddress(), settings.internalPort(),
                    LinkSettings.of(settings.clusterSecret()).withTls(settings.linkTls()),
                    LinkEndpoint.of(gateway.delivery(), gateway.sessions())));

            CuratorFramework curator = closer.add(CuratorClients.newClient(settings.discovery()));
            curator.start();
            // Before the registration, so that closing in reverse leaves ZooKeeper first, not after the ops server.
            opsPort = startOps(settings, meters, database, redis, curator);
            GatewayNode advertised = new GatewayNode(id, settings.publicHost(), gateway.tcpPort(),
                    gateway.wsPort() < 0 ? GatewayNode.NO_WEBSOCKET : gateway.wsPort(), settings.gateway().wsPath(),
                    link.port(), settings.weight(), 0, clock.instant(), gateway.tls(),
                    settings.gateway().abuseLimits().maxConnections());
            registration = closer.add(GatewayRegistration.start(curator, settings.discovery(), advertised,
                    gateway::connectionCount));
            if (!registration.awaitRegistered(REGISTRATION_WAIT)) {
                throw new IllegalStateException("gateway " + id + " could not register in ZooKeeper at "
                        + settings.discovery().connectString() + " within " + Durations.format(REGISTRATION_WAIT));
            }
        } catch (Exception e) {
            closer.close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("gateway " + id + " failed to start: " + e.getMessage(), e);
        }
        log.info("cluster gateway {} ready: devices on {}:{} (ws {}), link {}, registered at {}", id,
                settings.publicHost(), gateway.tcpPort(), gateway.wsPort(), link.port(), registration.path());
    }

    private int startOps(Settings settings, PrometheusMeterRegistry meters, Database database, RedisConnections redis,
                         CuratorFramework curator) {
        if (settings.opsPort() < 0) {
            return -1;
        }
        OpsHttpServer ops = closer.add(new OpsHttpServer(settings.gateway().bindAddress(), settings.opsPort(),
                new ApiDependencies.Ops(meters, List.of(
                        HealthCheck.of("database", database::isHealthy),
                        HealthCheck.of("redis", () -> ClusterHealth.redisAnswers(redis)),
                        HealthCheck.of("zookeeper", () -> curator.getZookeeperClient().isConnected()),
                        HealthCheck.of("listeners", () -> gateway.tcpPort() > 0)),
                        List.of(HealthCheck.of("event-loops", () -> EventLoopProbe.responds(gateway.eventLoops(),
                                EventLoopProbe.DEFAULT_LIMIT))))));
        return ops.start();
    }

    public static ClusterGatewayNode start(Settings settings) throws InterruptedException {
        return new ClusterGatewayNode(settings);
    }

    public int tcpPort() {
        return gateway.tcpPort();
    }

    public int wsPort() {
        return gateway.wsPort();
    }

    /** The MQTT port, or -1 when MQTT is off. */
    public int mqttPort() {
        return gateway.mqttPort();
    }

    public int internalPort() {
        return link.port();
    }

    public int opsPort() {
        return opsPort;
    }

    public Gateway gateway() {
        return gateway;
    }

    /**
     * Leaves routing first (the ZooKeeper node goes, so API nodes stop sending here), then closes the devices and
     * stores what they had not acked, then everything else in reverse order of start.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * The graceful stop: deregisters from ZooKeeper (API nodes stop routing here), closes the link, tells every
     * device to reconnect within {@code reconnectWindow} (they log in again and are sent to another gateway) and
     * stores their unacked QoS 1 messages, then stops the rest.
     */
    public void close(Duration reconnectWindow) {
        this.reconnectWindow = reconnectWindow;
        closer.close();
        log.info("cluster gateway {} stopped", gateway.settings().gatewayId());
    }
}
