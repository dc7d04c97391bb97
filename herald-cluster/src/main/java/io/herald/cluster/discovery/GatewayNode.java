package io.herald.cluster.discovery;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One gateway as it advertises itself in ZooKeeper: where devices connect, where API nodes push, how much it
 * should take and how much it has.
 *
 * @param id           unique gateway id, also the znode name: letters, digits, {@code . _ -}, at most 128
 * @param host         the host devices connect to (public name or address); IPv6 literals without brackets
 * @param tcpPort      the device TCP listener
 * @param wsPort       the device WebSocket listener, {@link #NO_WEBSOCKET} when it is off
 * @param wsPath       the WebSocket path, starting with {@code /}; null exactly when there is no WebSocket
 *                     listener (a path given with {@link #NO_WEBSOCKET} is dropped)
 * @param internalPort the internal push link API → gateway
 * @param weight       relative capacity, {@value #MIN_WEIGHT}-{@value #MAX_WEIGHT}; a weight-2 gateway should get
 *                     twice the devices of a weight-1 one
 * @param connections  devices connected right now, as last published
 * @param startedAt    when this gateway process started; tells a restarted gateway apart from its predecessor
 * @param tls          whether the device listeners (TCP and WebSocket) speak TLS
 * @param capacity     the device connections it accepts at once ({@code --max-connections}), {@link #NO_CAPACITY}
 *                     when it sets no limit (or is older than the capacity)
 */
public record GatewayNode(String id, String host, int tcpPort, int wsPort, String wsPath, int internalPort,
                          int weight, int connections, Instant startedAt, boolean tls, int capacity) {

    public static final int NO_WEBSOCKET = -1;
    public static final int NO_CAPACITY = 0;
    public static final int MIN_WEIGHT = 1;
    /** Bounds the consistent-hash ring: every unit of weight adds its virtual nodes. */
    public static final int MAX_WEIGHT = 100;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Checks a gateway id before anything starts; the node record checks it again. */
    public static String requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("gateway id must be 1-128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit (it is a znode name), was " + id);
        }
        return id;
    }

    public GatewayNode {
        requireValidId(id);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("gateway " + id + ": host is required");
        }
        requirePort(id, "TCP port", tcpPort);
        requirePort(id, "internal port", internalPort);
        if (wsPort == NO_WEBSOCKET) {
            wsPath = null;
        } else {
            requirePort(id, "WebSocket port", wsPort);
            if (wsPath == null || !wsPath.startsWith("/")) {
                throw new IllegalArgumentException("gateway " + id + ": WebSocket path must start with '/', was "
                        + wsPath);
            }
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("gateway " + id + ": weight must be " + MIN_WEIGHT + "-" + MAX_WEIGHT
                    + ", was " + weight);
        }
        if (connections < 0) {
            throw new IllegalArgumentException("gateway " + id + ": connections must not be negative, was "
                    + connections);
        }
        Objects.requireNonNull(startedAt, "startedAt");
        if (capacity < 0) {
            throw new IllegalArgumentException("gateway " + id + ": capacity must not be negative (0: none), was "
                    + capacity);
        }
    }

    /** A gateway that advertises no capacity. */
    public GatewayNode(String id, String host, int tcpPort, int wsPort, String wsPath, int internalPort, int weight,
                       int connections, Instant startedAt, boolean tls) {
        this(id, host, tcpPort, wsPort, wsPath, internalPort, weight, connections, startedAt, tls, NO_CAPACITY);
    }

    /** A gateway without TLS. */
    public GatewayNode(String id, String host, int tcpPort, int wsPort, String wsPath, int internalPort, int weight,
                       int connections, Instant startedAt) {
        this(id, host, tcpPort, wsPort, wsPath, internalPort, weight, connections, startedAt, false, NO_CAPACITY);
    }

    /**
     * Whether it held its capacity when it last published its connection count (every refresh interval): logins
     * go elsewhere until it has room again. Between two publications it may fill up unseen; it then refuses the
     * extra connections itself (GATEWAY_FULL) and those devices log in again.
     */
    public boolean full() {
        return capacity != NO_CAPACITY && connections >= capacity;
    }

    public boolean hasWebSocket() {
        return wsPort != NO_WEBSOCKET;
    }

    public GatewayNode withConnections(int newConnections) {
        return new GatewayNode(id, host, tcpPort, wsPort, wsPath, internalPort, weight, newConnections, startedAt,
                tls, capacity);
    }

    private static void requirePort(String id, String name, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("gateway " + id + ": " + name + " must be 1-65535, was " + port);
        }
    }
}
