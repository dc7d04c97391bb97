package io.herald.core.gateway;

/**
 * Where a device should connect: host, TCP port and WebSocket URL (null when that listener is off), and whether
 * the gateway's listeners speak TLS (then the URL is {@code wss://} and TCP needs TLS too).
 */
public record GatewayAddress(String host, int tcpPort, String wsUrl, boolean tls) {

    /** A gateway without TLS. */
    public GatewayAddress(String host, int tcpPort, String wsUrl) {
        this(host, tcpPort, wsUrl, false);
    }

    /**
     * The WebSocket URL of a gateway, or null when {@code wsPort} is not a port (listener off). IPv6 literals are
     * bracketed; the scheme is {@code wss} under TLS.
     */
    public static String webSocketUrl(String host, int wsPort, String wsPath, boolean tls) {
        if (wsPort <= 0) {
            return null;
        }
        String hostInUrl = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "wss://" : "ws://") + hostInUrl + ":" + wsPort + wsPath;
    }
}
