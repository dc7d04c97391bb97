package io.herald.client.internal;

/**
 * The {@code gateway} object of a login answer.
 *
 * @param tcpPort 0 when the gateway has no TCP listener
 * @param wsUrl   {@code null} when the gateway has no WebSocket listener
 */
public record GatewayInfo(String host, int tcpPort, String wsUrl) {
}
