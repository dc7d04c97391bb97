package io.herald.core.gateway;

/** Where a device should connect: host, TCP port and WebSocket URL (null when that listener is off). */
public record GatewayAddress(String host, int tcpPort, String wsUrl) {
}
