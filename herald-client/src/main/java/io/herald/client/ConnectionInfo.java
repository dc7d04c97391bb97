package io.herald.client;

import java.time.Duration;

/**
 * Describes a connection that the gateway has just authenticated.
 *
 * @param clientId   the client id the gateway recognised in the token
 * @param sessionId  the gateway's id for this session
 * @param transport  TCP or WebSocket
 * @param gateway    where the client connected: {@code host:port}, or the WebSocket URL
 * @param heartbeat  the interval at which the client pings (from AUTH_OK); zero when the gateway wants none
 * @param reconnect  false for the first connection of this client, true for every later one
 */
public record ConnectionInfo(String clientId, String sessionId, Transport transport, String gateway,
                             Duration heartbeat, boolean reconnect) {
}
