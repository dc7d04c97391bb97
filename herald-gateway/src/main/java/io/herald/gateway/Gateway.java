package io.herald.gateway;

import io.herald.core.device.DeviceStore;
import io.herald.core.push.PushService;
import io.herald.core.session.SessionDirectory;
import io.herald.core.store.OfflineStore;
import io.herald.core.store.UpstreamArchive;
import io.herald.gateway.delivery.BroadcastWriter;
import io.herald.gateway.delivery.DownstreamQueue;
import io.herald.gateway.delivery.LocalPushService;
import io.herald.gateway.delivery.OfflineStorage;
import io.herald.gateway.handler.AuthHandler;
import io.herald.gateway.handler.AuthTimeoutHandler;
import io.herald.gateway.handler.DecodeFailureHandler;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.ExceptionHandler;
import io.herald.gateway.handler.FrameMetricsHandler;
import io.herald.gateway.handler.SessionLifecycleHandler;
import io.herald.gateway.handler.UnexpectedFrameHandler;
import io.herald.gateway.handler.UpstreamMessageHandler;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.pipeline.SharedHandlers;
import io.herald.gateway.pipeline.TcpChannelInitializer;
import io.herald.gateway.pipeline.WebSocketChannelInitializer;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.SessionManager;
import io.herald.gateway.transport.DeviceListener;
import io.herald.gateway.transport.Transport;
import io.herald.gateway.upstream.GatewayHandlerContext;
import io.herald.gateway.upstream.UpstreamDispatcher;
import io.herald.gateway.upstream.UpstreamHandlers;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway node: the composition root of the push-server. Reads top to bottom like its deployment:
 * metrics, registry, storage, upstream handlers, shared handlers, listeners. {@link #close()} stops accepting,
 * closes every device connection, waits until their undelivered messages are stored, then stops the rest.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final int EXPECTED_DEVICES = 20_000;

    /** What a gateway needs from the rest of the node. */
    public record Dependencies(DeviceAuthenticator authenticator, DeviceStore devices, OfflineStore offlineStore,
                               UpstreamArchive archive, MeterRegistry meters, Clock clock,
                               Map<String, String> handlerSettings) {
    }

    private final GatewaySettings settings;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelRegistry registry;
    private final OfflineStorage offline;
    private final UpstreamHandlers handlers;
    private final UpstreamDispatcher dispatcher;
    private final ExecutorService blocking;
    private final SessionManager sessions;
    private final LocalPushService pushService;
    private final List<DeviceListener> listeners = new ArrayList<>();
    private int tcpPort = -1;
    private int wsPort = -1;

    private Gateway(GatewaySettings settings, Dependencies deps) {
        this.settings = settings;
        this.transport = Transport.best();
        this.boss = transport.newGroup(1);
        this.workers = transport.newGroup(settings.ioThreads());
        this.registry = new ChannelRegistry(EXPECTED_DEVICES);
        GatewayMetrics metrics = new GatewayMetrics(deps.meters(), registry);
        this.offline = new OfflineStorage(deps.offlineStore(), metrics, deps.clock(), 4);
        this.handlers = UpstreamHandlers.discover(Gateway.class.getClassLoader(),
                new GatewayHandlerContext(deps.archive(), deps.meters(), deps.handlerSettings()));
        this.dispatcher = new UpstreamDispatcher(handlers, settings.upstreamWorkers());
        this.blocking = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "herald-push-store");
            thread.setDaemon(true);
            return thread;
        });
        Disconnector disconnector = new Disconnector(metrics);
        DownstreamQueue.Limits limits = new DownstreamQueue.Limits(settings.maxInflight(), settings.maxQueued(),
                settings.retryInterval(), settings.maxDeliveryAttempts(), 256);
        this.sessions = new SessionManager(settings.gatewayId(), registry, offline, limits,
                settings.heartbeatInterval(), metrics, disconnector, deps.clock());
        this.pushService = new LocalPushService(registry, new BroadcastWriter(metrics), offline, deps.devices(),
                blocking);
        this.shared = new SharedHandlers(new FrameMetricsHandler(metrics),
                new AuthTimeoutHandler(settings.authTimeout(), disconnector),
                new DecodeFailureHandler(disconnector),
                new AuthHandler(deps.authenticator(), sessions, disconnector, metrics),
                new UpstreamMessageHandler(dispatcher, metrics, deps.clock(), settings.maxUpstreamPending()),
                new UnexpectedFrameHandler(disconnector),
                new ExceptionHandler(disconnector));
    }

    private final SharedHandlers shared;

    /** Builds the gateway and binds its listeners. */
    public static Gateway start(GatewaySettings settings, Dependencies deps) throws InterruptedException {
        Gateway gateway = new Gateway(settings, deps);
        try {
            gateway.bind();
        } catch (InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void bind() throws InterruptedException {
        if (settings.tcpPort() >= 0) {
            DeviceListener tcp = DeviceListener.bind(transport, boss, workers, settings.bindAddress(),
                    settings.tcpPort(), new TcpChannelInitializer(shared,
                            new SessionLifecycleHandler(sessions, "tcp", settings.gatewayId()),
                            settings.maxFrameBodyBytes(), settings.idleTimeout()));
            listeners.add(tcp);
            tcpPort = tcp.port();
        }
        if (settings.wsPort() >= 0) {
            DeviceListener ws = DeviceListener.bind(transport, boss, workers, settings.bindAddress(),
                    settings.wsPort(), new WebSocketChannelInitializer(shared,
                            new SessionLifecycleHandler(sessions, "websocket", settings.gatewayId()),
                            settings.maxFrameBodyBytes(), settings.idleTimeout(), settings.wsPath()));
            listeners.add(ws);
            wsPort = ws.port();
        }
        log.info("gateway {} listening on {}: tcp port {}, websocket port {} (path {}), transport {}",
                settings.gatewayId(), settings.bindAddress(), tcpPort, wsPort, settings.wsPath(), transport.name());
    }

    public PushService pushService() {
        return pushService;
    }

    public SessionDirectory sessions() {
        return sessions;
    }

    /** The bound TCP port, or -1 when that listener is off. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The bound WebSocket port, or -1 when that listener is off. */
    public int wsPort() {
        return wsPort;
    }

    public GatewaySettings settings() {
        return settings;
    }

    public String transportName() {
        return transport.name();
    }

    public int connectionCount() {
        return registry.size();
    }

    @Override
    public void close() {
        listeners.forEach(DeviceListener::close);
        List<CompletableFuture<Void>> handOffs = new ArrayList<>();
        for (Channel channel : registry.channels()) {
            handOffs.add(DeviceSession.of(channel).handedOff());
            channel.close();
        }
        try {
            CompletableFuture.allOf(handOffs.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("some sessions' undelivered messages were not stored within 10 s of shutdown");
        } catch (Exception e) {
            log.warn("storing undelivered messages at shutdown failed", e);
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        dispatcher.close();
        handlers.close();
        blocking.shutdown();
        offline.close();
        log.info("gateway {} stopped", settings.gatewayId());
    }
}
