package io.herald.gateway;

import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.mqtt.MqttSettings;
import io.herald.protocol.Wire;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a gateway node can be told, validated once at start-up. Ports: 0 picks a free port,
 * -1 turns that listener off.
 *
 * @param gatewayId           this node's name in logs, metrics and session info
 * @param bindAddress         address the device listeners bind to
 * @param tcpPort             device TCP port
 * @param wsPort              device WebSocket port (path {@link #wsPath})
 * @param authTimeout         a connection that has not sent a valid AUTH by then is closed
 * @param heartbeatInterval   announced in AUTH_OK; a connection silent for twice this long is closed
 * @param maxFrameBodyBytes   frames with a larger body are refused with FRAME_TOO_LARGE
 * @param maxInflight         QoS 1 messages sent to one device and not yet acked; more wait in a queue
 * @param maxQueued           QoS 1 messages waiting per device in memory; more spill to the offline store
 * @param retryInterval       first wait for a QoS 1 ack before resending; doubles per attempt
 * @param maxDeliveryAttempts sends of one message before the connection is considered broken and closed
 * @param maxUpstreamPending  upstream messages of one connection being handled; past it the gateway stops
 *                            reading from that connection until handlers catch up
 * @param upstreamWorkers     threads that run upstream handlers
 * @param ioThreads           Netty event loop threads (0: two per core)
 * @param abuseLimits         upstream rate per connection and connections per remote address
 * @param mqtt                MQTT devices: their TCP port and WebSocket path, or off
 */
public record GatewaySettings(String gatewayId, String bindAddress, int tcpPort, int wsPort, String wsPath,
                              Duration authTimeout, Duration heartbeatInterval, int maxFrameBodyBytes,
                              int maxInflight, int maxQueued, Duration retryInterval, int maxDeliveryAttempts,
                              int maxUpstreamPending, int upstreamWorkers, int ioThreads,
                              AbuseLimits abuseLimits, MqttSettings mqtt) {

    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_TCP_PORT = 7000;
    public static final int DEFAULT_WS_PORT = 7080;
    public static final String DEFAULT_WS_PATH = "/ws";
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_INFLIGHT = 32;
    public static final int DEFAULT_MAX_QUEUED = 1_000;
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;
    public static final int DEFAULT_MAX_UPSTREAM_PENDING = 256;
    public static final int DEFAULT_UPSTREAM_WORKERS = 8;

    public GatewaySettings {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(wsPath, "wsPath");
        require(!gatewayId.isBlank(), "gateway id must not be blank");
        requirePort(tcpPort, "tcp port");
        requirePort(wsPort, "websocket port");
        require(tcpPort != -1 || wsPort != -1 || (mqtt != null && mqtt.enabled()),
                "at least one of the tcp, websocket and mqtt listeners must be on");
        require(wsPath.startsWith("/"), "websocket path must start with '/', was " + wsPath);
        requirePositive(authTimeout, "auth timeout");
        requirePositive(heartbeatInterval, "heartbeat interval");
        require(heartbeatInterval.toMillis() <= 0xFFFF_FFFFL / 2, "heartbeat interval is too long");
        require(maxFrameBodyBytes >= 256 && maxFrameBodyBytes <= Wire.HARD_MAX_BODY_LENGTH,
                "max frame body must be 256.." + Wire.HARD_MAX_BODY_LENGTH + " bytes, was " + maxFrameBodyBytes);
        require(maxInflight >= 1, "max inflight must be at least 1, was " + maxInflight);
        require(maxQueued >= 0, "max queued must not be negative, was " + maxQueued);
        requirePositive(retryInterval, "retry interval");
        require(maxDeliveryAttempts >= 1, "max delivery attempts must be at least 1, was " + maxDeliveryAttempts);
        require(maxUpstreamPending >= 1, "max upstream pending must be at least 1, was " + maxUpstreamPending);
        require(upstreamWorkers >= 1, "upstream workers must be at least 1, was " + upstreamWorkers);
        require(ioThreads >= 0, "io threads must not be negative, was " + ioThreads);
        Objects.requireNonNull(abuseLimits, "abuseLimits");
        Objects.requireNonNull(mqtt, "mqtt");
        require(!mqtt.enabled() || wsPort == -1 || !mqtt.wsPath().equals(wsPath),
                "the MQTT WebSocket path must differ from the WebSocket path " + wsPath);
    }

    /** Settings without MQTT. */
    public GatewaySettings(String gatewayId, String bindAddress, int tcpPort, int wsPort, String wsPath,
                           Duration authTimeout, Duration heartbeatInterval, int maxFrameBodyBytes, int maxInflight,
                           int maxQueued, Duration retryInterval, int maxDeliveryAttempts, int maxUpstreamPending,
                           int upstreamWorkers, int ioThreads, AbuseLimits abuseLimits) {
        this(gatewayId, bindAddress, tcpPort, wsPort, wsPath, authTimeout, heartbeatInterval, maxFrameBodyBytes,
                maxInflight, maxQueued, retryInterval, maxDeliveryAttempts, maxUpstreamPending, upstreamWorkers,
                ioThreads, abuseLimits, MqttSettings.OFF);
    }

    /** Settings with the default abuse limits. */
    public GatewaySettings(String gatewayId, String bindAddress, int tcpPort, int wsPort, String wsPath,
                           Duration authTimeout, Duration heartbeatInterval, int maxFrameBodyBytes, int maxInflight,
                           int maxQueued, Duration retryInterval, int maxDeliveryAttempts, int maxUpstreamPending,
                           int upstreamWorkers, int ioThreads) {
        this(gatewayId, bindAddress, tcpPort, wsPort, wsPath, authTimeout, heartbeatInterval, maxFrameBodyBytes,
                maxInflight, maxQueued, retryInterval, maxDeliveryAttempts, maxUpstreamPending, upstreamWorkers,
                ioThreads, AbuseLimits.DEFAULTS);
    }

    /** Defaults for everything, with the given id. */
    public static GatewaySettings defaults(String gatewayId) {
        return new GatewaySettings(gatewayId, DEFAULT_BIND_ADDRESS, DEFAULT_TCP_PORT, DEFAULT_WS_PORT,
                DEFAULT_WS_PATH, DEFAULT_AUTH_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, Wire.DEFAULT_MAX_BODY_LENGTH,
                DEFAULT_MAX_INFLIGHT, DEFAULT_MAX_QUEUED, DEFAULT_RETRY_INTERVAL, DEFAULT_MAX_DELIVERY_ATTEMPTS,
                DEFAULT_MAX_UPSTREAM_PENDING, DEFAULT_UPSTREAM_WORKERS, 0);
    }

    public GatewaySettings withPorts(String bind, int tcp, int ws) {
        return new GatewaySettings(gatewayId, bind, tcp, ws, wsPath, authTimeout, heartbeatInterval,
                maxFrameBodyBytes, maxInflight, maxQueued, retryInterval, maxDeliveryAttempts, maxUpstreamPending,
                upstreamWorkers, ioThreads, abuseLimits, mqtt);
    }

    public GatewaySettings withTimings(Duration auth, Duration heartbeat, Duration retry) {
        return new GatewaySettings(gatewayId, bindAddress, tcpPort, wsPort, wsPath, auth, heartbeat,
                maxFrameBodyBytes, maxInflight, maxQueued, retry, maxDeliveryAttempts, maxUpstreamPending,
                upstreamWorkers, ioThreads, abuseLimits, mqtt);
    }

    public GatewaySettings withLimits(int frameBody, int inflight, int queued, int attempts) {
        return new GatewaySettings(gatewayId, bindAddress, tcpPort, wsPort, wsPath, authTimeout, heartbeatInterval,
                frameBody, inflight, queued, retryInterval, attempts, maxUpstreamPending, upstreamWorkers, ioThreads,
                abuseLimits, mqtt);
    }

    public GatewaySettings withThreads(int io, int workers) {
        return new GatewaySettings(gatewayId, bindAddress, tcpPort, wsPort, wsPath, authTimeout, heartbeatInterval,
                maxFrameBodyBytes, maxInflight, maxQueued, retryInterval, maxDeliveryAttempts, maxUpstreamPending,
                workers, io, abuseLimits, mqtt);
    }

    public GatewaySettings withAbuseLimits(AbuseLimits limits) {
        return new GatewaySettings(gatewayId, bindAddress, tcpPort, wsPort, wsPath, authTimeout, heartbeatInterval,
                maxFrameBodyBytes, maxInflight, maxQueued, retryInterval, maxDeliveryAttempts, maxUpstreamPending,
                upstreamWorkers, ioThreads, limits, mqtt);
    }

    public GatewaySettings withMqtt(MqttSettings settings) {
        return new GatewaySettings(gatewayId, bindAddress, tcpPort, wsPort, wsPath, authTimeout, heartbeatInterval,
                maxFrameBodyBytes, maxInflight, maxQueued, retryInterval, maxDeliveryAttempts, maxUpstreamPending,
                upstreamWorkers, ioThreads, abuseLimits, settings);
    }

    /** Silence longer than this closes a connection. */
    public Duration idleTimeout() {
        return heartbeatInterval.multipliedBy(2);
    }

    private static void requirePort(int port, String what) {
        require(port >= -1 && port <= 65_535, what + " must be -1 (off), 0 (any free port) or 1-65535, was " + port);
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        require(!duration.isNegative() && !duration.isZero(), what + " must be positive, was " + duration);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
