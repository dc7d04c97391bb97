package io.herald.core.session;

import java.time.Instant;

/**
 * A device's live connection as the gateway sees it.
 *
 * @param transport     "tcp" or "websocket"
 * @param remoteAddress "ip:port" of the device
 * @param gatewayId     the gateway node holding the connection
 */
public record SessionInfo(String clientId, String sessionId, Instant connectedAt, String transport,
                          String remoteAddress, String gatewayId) {
}
