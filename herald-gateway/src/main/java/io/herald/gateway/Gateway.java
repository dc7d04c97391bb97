package io.herald.gateway;

import io.herald.core.message.MessageIdGenerator;
import io.herald.core.push.PushService;
import io.herald.core.push.GatewayDelivery;
import io.herald.core.session.SessionDirectory;
import io.herald.gateway.proxy.ProxySources;
import io.herald.gateway.session.SessionManager;
import io.herald.gateway.tls.DeviceTls;
import io.herald.gateway.transport.DeviceListener;
import io.herald.gateway.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway node: {@link GatewayCore} plus event loops and the device listeners (TCP, WebSocket, MQTT).
 * {@link #close()} stops accepting, closes every device connection, waits until their undelivered messages
 * are stored, then stops the event loops, the handlers and the storage, in that order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewaySettings settings;
    private final GatewayCore core;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<DeviceListener> listeners = new ArrayList<>();
    private int tcpPort = -1;
    private int wsPort = -1;
    private int mqttPort = -1;

    private Gateway(GatewaySettings settings, GatewayCore.Dependencies deps, DeviceTls tls,
                    MessageIdGenerator handlerMessageIds) {
        this.settings = settings;
        this.core = new GatewayCore(settings, deps, tls, handlerMessageIds);
        this.transport = Transport.best();
        this.boss = transport.newGroup(1);
        this.workers = transport.newGroup(settings.ioThreads());
    }

    /** Builds the gateway and binds its listeners. */
    public static Gateway start(GatewaySettings settings, GatewayCore.Dependencies deps) throws InterruptedException {
        return start(settings, deps, null);
    }

    /** Builds the gateway and binds its listeners, with TLS on every device connection unless {@code tls} is null. */
    public static Gateway start(GatewaySettings settings, GatewayCore.Dependencies deps, DeviceTls tls)
            throws InterruptedException {
        return start(settings, deps, tls, null);
    }

    /**
     * Builds the gateway and binds its listeners; upstream handlers may push through it, with ids from
     * {@code handlerMessageIds} (the node's one generator), unless that is null.
     */
    public static Gateway start(GatewaySettings settings, GatewayCore.Dependencies deps, DeviceTls tls,
                                MessageIdGenerator handlerMessageIds) throws InterruptedException {
        Gateway gateway = new Gateway(settings, deps, tls, handlerMessageIds);
        try {
            gateway.bind(tls);
        } catch (InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void bind(DeviceTls tls) throws InterruptedException {
        if (settings.tcpPort() >= 0) {
            DeviceListener tcp = DeviceListener.bind(transport, boss, workers, settings.bindAddress(),
                    settings.tcpPort(), core.tcpInitializer());
            listeners.add(tcp);
            tcpPort = tcp.port();
        }
        if (settings.wsPort() >= 0) {
            DeviceListener ws = DeviceListener.bind(transport, boss, workers, settings.bindAddress(),
                    settings.wsPort(), core.webSocketInitializer());
            listeners.add(ws);
            wsPort = ws.port();
        }
        if (settings.mqtt().enabled()) {
            DeviceListener mqtt = DeviceListener.bind(transport, boss, workers, settings.bindAddress(),
                    settings.mqtt().port(), core.mqttInitializer());
            listeners.add(mqtt);
            mqttPort = mqtt.port();
        }
        ProxySources proxies = settings.abuseLimits().proxySources();
        log.info("gateway {} listening on {}: tcp port {}, websocket port {} (path {}), mqtt port {}{}, transport {}, {}"
                + "{}", settings.gatewayId(), settings.bindAddress(), tcpPort, wsPort, settings.wsPath(), mqttPort,
                settings.mqtt().enabled() && wsPort >= 0 ? " (and websocket path " + settings.mqtt().wsPath() + ")" : "",
                transport.name(), tls == null ? "no TLS" : "TLS (" + tls.provider() + ")",
                proxies.isEmpty() ? "" : ", PROXY protocol headers read from " + proxies);
    }

    public PushService pushService() {
        return core.pushService();
    }

    /** This gateway's side of a push, for an API node over the internal link (cluster mode). */
    public GatewayDelivery delivery() {
        return core.delivery();
    }

    public SessionDirectory sessions() {
        return core.sessions();
    }

    /** The sessions with their gateway-only operations (re-reading the store, closing one given session). */
    public SessionManager sessionManager() {
        return core.sessions();
    }

    /** The bound TCP port, or -1 when that listener is off. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The bound WebSocket port, or -1 when that listener is off. */
    public int wsPort() {
        return wsPort;
    }

    /** The bound MQTT port, or -1 when MQTT is off. */
    public int mqttPort() {
        return mqttPort;
    }

    public GatewaySettings settings() {
        return settings;
    }

    /** Whether devices connect with TLS (TCP with TLS, {@code wss://}). */
    public boolean tls() {
        return core.tls();
    }

    public String transportName() {
        return transport.name();
    }

    /** Everything but the sockets, for tests that look at a connection from the gateway's side. */
    GatewayCore core() {
        return core;
    }

    /** The event loops device connections run on, for a liveness probe. */
    public EventLoopGroup eventLoops() {
        return workers;
    }

    public int connectionCount() {
        return core.registry().size();
    }

    /** {@link #close(Duration)} with devices told to reconnect at once. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops accepting, tells every device to reconnect within {@code reconnectWindow} (each at a random moment in
     * it) and closes it, stores what was not acked, then stops the event loops, handlers and storage.
     */
    public void close(Duration reconnectWindow) {
        listeners.forEach(DeviceListener::close);
        int drained = core.drainConnections(reconnectWindow);
        log.info("gateway {} drained {} connection(s), told to reconnect within {}", settings.gatewayId(), drained,
                reconnectWindow);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        core.close();
        log.info("gateway {} stopped", settings.gatewayId());
    }
}
