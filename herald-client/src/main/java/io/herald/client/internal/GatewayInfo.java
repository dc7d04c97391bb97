package io.herald.client.internal;

/**
 * The {@code gateway} object of a login answer.
 *
 * @param tcpPort 0 when the gateway has no TCP listener
 * @param wsUrl   {@code null} when the gateway has no WebSocket listener
 * @param tls     whether the gateway's listeners speak TLS; false when the API does not say (older APIs)
 */
public record GatewayInfo(String host, int tcpPort, String wsUrl, boolean tls) {

    /** A gateway without TLS. */
    public GatewayInfo(String host, int tcpPort, String wsUrl) {
        this(host, tcpPort, wsUrl, false);
    }
}
