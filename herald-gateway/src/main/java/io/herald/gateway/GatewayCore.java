package io.herald.gateway;

import io.herald.core.device.DeviceStore;
import io.herald.core.event.DisconnectReason;
import io.herald.core.event.Events;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.push.InProcessGateway;
import io.herald.core.push.PushService;
import io.herald.core.push.StoreFirstPushService;
import io.herald.core.store.OfflineStore;
import io.herald.core.session.SessionEvents;
import io.herald.core.store.UpstreamSink;
import io.herald.gateway.delivery.BroadcastWriter;
import io.herald.gateway.delivery.DownstreamQueue;
import io.herald.gateway.delivery.ChannelDelivery;
import io.herald.gateway.delivery.OfflineStorage;
import io.herald.gateway.handler.AuthHandler;
import io.herald.gateway.handler.AuthTimeoutHandler;
import io.herald.gateway.handler.ConnectionLimitHandler;
import io.herald.gateway.handler.DecodeFailureHandler;
import io.herald.gateway.handler.DeviceErrorHandler;
import io.herald.gateway.handler.DeviceFrameDispatcher;
import io.herald.gateway.handler.DownstreamAckHandler;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.ExceptionHandler;
import io.herald.gateway.handler.IdleSweep;
import io.herald.gateway.handler.MeteredFrameEncoder;
import io.herald.gateway.handler.PingHandler;
import io.herald.gateway.handler.SessionOpener;
import io.herald.gateway.handler.DeviceStage;
import io.herald.gateway.handler.UnexpectedFrameHandler;
import io.herald.gateway.handler.UpstreamMessageHandler;
import io.herald.gateway.handler.UpstreamRateHandler;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.mqtt.MqttDevices;
import io.herald.gateway.pipeline.DeviceChannelInitializer;
import io.herald.gateway.pipeline.HeraldProtocol;
import io.herald.gateway.pipeline.SharedHandlers;
import io.herald.gateway.pipeline.TcpChannelInitializer;
import io.herald.gateway.pipeline.TlsChannelInitializer;
import io.herald.gateway.pipeline.WebSocketChannelInitializer;
import io.herald.gateway.pipeline.WebSocketEndpoint;
import io.herald.gateway.proxy.ProxyProtocol;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.SessionIds;
import io.herald.gateway.session.SessionManager;
import io.herald.gateway.tls.DeviceTls;
import io.herald.gateway.tls.TlsHandshakeHandler;
import io.herald.gateway.upstream.GatewayHandlerContext;
import io.herald.gateway.upstream.HandlerPush;
import io.herald.gateway.upstream.UpstreamDispatcher;
import io.herald.gateway.upstream.UpstreamHandlers;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.frame.NoticeFrame;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of a gateway but its sockets: registry, storage, upstream handlers, sessions, push service and the
 * shared pipeline handlers, wired once. {@link Gateway} binds listeners around it; tests drive its pipelines
 * through {@code EmbeddedChannel}.
 */
public final class GatewayCore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayCore.class);
    private static final int EXPECTED_DEVICES = 20_000;
    private static final int OFFLINE_STRIPES = 4;
    private static final int REPLAY_BATCH = 256;
    /** Bounds the shutdown: a database that does not answer must not keep a stopping gateway alive for ever. */
    public static final Duration HAND_OFF_WAIT = Duration.ofSeconds(10);

    /**
     * What a gateway needs from the rest of the node.
     *
     * @param sessionEvents where sessions are published for the rest of the cluster
     * @param events        what the business backend hears: connects, disconnects, ACKs (docs/events.md)
     */
    public record Dependencies(DeviceAuthenticator authenticator, DeviceStore devices, OfflineStore offlineStore,
                               UpstreamSink upstream, MeterRegistry meters, Clock clock,
                               Map<String, String> handlerSettings, SessionEvents sessionEvents, Events events) {
        /** Without events for the business backend. */
        public Dependencies(DeviceAuthenticator authenticator, DeviceStore devices, OfflineStore offlineStore,
                            UpstreamSink upstream, MeterRegistry meters, Clock clock,
                            Map<String, String> handlerSettings, SessionEvents sessionEvents) {
            this(authenticator, devices, offlineStore, upstream, meters, clock, handlerSettings, sessionEvents,
                    Events.NONE);
        }

        /** A single node: sessions are nobody else's business. */
        public Dependencies(DeviceAuthenticator authenticator, DeviceStore devices, OfflineStore offlineStore,
                            UpstreamSink upstream, MeterRegistry meters, Clock clock,
                            Map<String, String> handlerSettings) {
            this(authenticator, devices, offlineStore, upstream, meters, clock, handlerSettings, SessionEvents.NONE);
        }
    }

    private final GatewaySettings settings;
    private final ChannelRegistry registry;
    private final OfflineStorage offline;
    private final UpstreamHandlers handlers;
    private final UpstreamDispatcher dispatcher;
    private final ExecutorService blocking;
    private final SessionManager sessions;
    private final ChannelDelivery delivery;
    private final PushService pushService;
    private final SharedHandlers shared;
    private final HeraldProtocol tcpProtocol;
    private final HeraldProtocol webSocketProtocol;
    /** Null when MQTT is off. */
    private final MqttDevices mqtt;
    private final Disconnector disconnector;
    private final SessionIds sessionIds;
    private final IdleSweep idleSweep;
    /** Null when the device listeners speak plain TCP. */
    private final DeviceTls tls;
    private final TlsHandshakeHandler tlsHandshake;

    public GatewayCore(GatewaySettings settings, Dependencies deps) {
        this(settings, deps, null);
    }

    /** @param tls TLS for every device connection, or null for plain TCP and WebSocket */
    public GatewayCore(GatewaySettings settings, Dependencies deps, DeviceTls tls) {
        this(settings, deps, tls, null);
    }

    /**
     * @param tls               TLS for every device connection, or null for plain TCP and WebSocket
     * @param handlerMessageIds the node's message ids, for messages upstream handlers push through this gateway's push
     *                          service (standalone, where it reaches every device); null: handlers cannot push
     */
    public GatewayCore(GatewaySettings settings, Dependencies deps, DeviceTls tls,
                       MessageIdGenerator handlerMessageIds) {
        this.settings = settings;
        this.tls = tls;
        this.tlsHandshake = tls == null ? null : new TlsHandshakeHandler(deps.meters());
        this.registry = new ChannelRegistry(EXPECTED_DEVICES);
        GatewayMetrics metrics = new GatewayMetrics(deps.meters(), registry);
        this.offline = new OfflineStorage(deps.offlineStore(), metrics, deps.clock(), OFFLINE_STRIPES);
        this.blocking = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "herald-push-store");
            thread.setDaemon(true);
            return thread;
        });
        this.disconnector = new Disconnector(metrics);
        this.sessionIds = new SessionIds(settings.gatewayId());
        DownstreamQueue.Limits limits = new DownstreamQueue.Limits(settings.maxInflight(), settings.maxQueued(),
                settings.retryInterval(), settings.maxDeliveryAttempts(), REPLAY_BATCH);
        this.sessions = new SessionManager(settings.gatewayId(), registry, offline, limits,
                settings.heartbeatInterval(), metrics, disconnector, deps.clock(), deps.sessionEvents(),
                deps.events());
        this.delivery = new ChannelDelivery(registry, sessions, new BroadcastWriter(metrics));
        // Standalone: the push service with this gateway as the only one, reached in process.
        InProcessGateway inProcess = new InProcessGateway(delivery);
        this.pushService = new StoreFirstPushService<>(inProcess, inProcess, deps.devices(), offline::storeForMany,
                blocking);
        // After the push service, which handlers may push through.
        try {
            this.handlers = UpstreamHandlers.discover(GatewayCore.class.getClassLoader(),
                    new GatewayHandlerContext(deps.upstream(), deps.meters(), deps.handlerSettings(),
                            handlerMessageIds == null ? null
                                    : new HandlerPush(pushService, handlerMessageIds, deps.clock())));
        } catch (RuntimeException e) {
            blocking.shutdownNow();
            throw e;
        }
        this.dispatcher = new UpstreamDispatcher(handlers, settings.upstreamWorkers());
        this.idleSweep = new IdleSweep(settings.idleTimeout(), disconnector);
        DeviceFrameDispatcher.Handlers frameHandlers = new DeviceFrameDispatcher.Handlers(
                new DecodeFailureHandler(disconnector), new DeviceErrorHandler(disconnector), PingHandler.INSTANCE,
                UpstreamRateHandler.inFrontOf(
                        new UpstreamMessageHandler(dispatcher, metrics, deps.clock(), settings.maxUpstreamPending()),
                        settings.abuseLimits().upstreamRate(), disconnector, metrics),
                DownstreamAckHandler.INSTANCE, new UnexpectedFrameHandler(disconnector));
        ExceptionHandler exceptions = new ExceptionHandler(disconnector);
        DeviceStage.Parts deviceStageParts = new DeviceStage.Parts(sessions, sessionIds, idleSweep,
                new DeviceFrameDispatcher(metrics, frameHandlers), new MeteredFrameEncoder(metrics), exceptions);
        SessionOpener opener = new SessionOpener(sessions, disconnector, metrics);
        AuthHandler auth = new AuthHandler(deps.authenticator(), opener, disconnector);
        this.tcpProtocol = new HeraldProtocol(new DeviceStage(deviceStageParts, "tcp"), auth,
                settings.maxFrameBodyBytes());
        this.webSocketProtocol = new HeraldProtocol(new DeviceStage(deviceStageParts, "websocket"), auth,
                settings.maxFrameBodyBytes());
        this.shared = new SharedHandlers(new AuthTimeoutHandler(settings.authTimeout(), disconnector), exceptions,
                ConnectionLimitHandler.forLimits(settings.abuseLimits(), disconnector, metrics),
                disconnector, ProxyProtocol.of(settings.abuseLimits().proxySources(), settings.authTimeout(),
                deps.meters()));
        this.mqtt = !settings.mqtt().enabled() ? null : new MqttDevices(settings.mqtt(), new MqttDevices.Parts(
                deviceStageParts, deps.authenticator(), deps.devices(), opener, disconnector, metrics, deps.meters(),
                deps.clock(), registry, deps.sessionEvents(), deps.events()), settings.heartbeatInterval(), settings.maxFrameBodyBytes(),
                settings.maxUpstreamPending());
    }

    public ChannelInitializer<Channel> tcpInitializer() {
        return withTls(new TcpChannelInitializer(shared, tcpProtocol));
    }

    /** WebSocket: Herald frames at the WebSocket path, and MQTT at its own path when MQTT is on. */
    public ChannelInitializer<Channel> webSocketInitializer() {
        List<WebSocketEndpoint> endpoints = new ArrayList<>();
        // a WebSocket message holds at most one maximal Herald frame plus its header
        endpoints.add(new WebSocketEndpoint(settings.wsPath(), null, settings.maxFrameBodyBytes() + 64, null));
        if (mqtt != null) {
            endpoints.add(mqtt.webSocketEndpoint());
        }
        return withTls(new WebSocketChannelInitializer(shared, webSocketProtocol, endpoints));
    }

    /** MQTT over TCP; null when MQTT is off. */
    public ChannelInitializer<Channel> mqttInitializer() {
        return mqtt == null ? null : withTls(new TcpChannelInitializer(shared, mqtt.tcp()));
    }

    private ChannelInitializer<Channel> withTls(DeviceChannelInitializer devicePipeline) {
        return tls == null ? devicePipeline
                : new TlsChannelInitializer(tls, settings.authTimeout(), tlsHandshake, devicePipeline);
    }

    /** Whether the device listeners speak TLS. */
    public boolean tls() {
        return tls != null;
    }

    /** Pushes through this gateway alone (standalone). */
    public PushService pushService() {
        return pushService;
    }

    /** This gateway's side of a push, which a cluster's internal link serves to the API nodes. */
    public ChannelDelivery delivery() {
        return delivery;
    }

    public SessionManager sessions() {
        return sessions;
    }

    public ChannelRegistry registry() {
        return registry;
    }

    /**
     * Tells every device to reconnect (a RECONNECT notice with a random delay within {@code reconnectWindow}, so
     * the fleet does not come back at once), closes its connection, and waits (bounded) until their undelivered
     * QoS 1 messages are stored. In a cluster the gateway has left ZooKeeper before, so devices log in again and are
     * sent to another gateway; in standalone they come back to the restarted node.
     *
     * @return how many connections were drained
     */
    public int drainConnections(Duration reconnectWindow) {
        List<CompletableFuture<Void>> handOffs = new ArrayList<>();
        long windowMillis = Math.max(0, reconnectWindow.toMillis());
        int drained = 0;
        for (Channel channel : registry.channels()) {
            DeviceSession session = DeviceSession.of(channel);
            if (session != null) {
                handOffs.add(session.handedOff());
            }
            long delay = windowMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(windowMillis + 1);
            disconnector.closeWith(channel, new NoticeFrame(NoticeKind.RECONNECT, delay, "gateway is shutting down", ""),
                    "drained at shutdown", DisconnectReason.SERVER_SHUTDOWN);
            drained++;
        }
        try {
            CompletableFuture.allOf(handOffs.toArray(CompletableFuture[]::new))
                    .get(HAND_OFF_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("some sessions' undelivered messages were not stored within {} of shutdown", HAND_OFF_WAIT);
        } catch (Exception e) {
            log.warn("storing undelivered messages at shutdown failed", e);
        }
        return drained;
    }

    /** Stops handlers and storage after the event loops are gone; finishes work already submitted. */
    @Override
    public void close() {
        dispatcher.close();
        handlers.close();
        if (mqtt != null) {
            mqtt.close();
        }
        blocking.shutdown();
        offline.close();
    }
}
