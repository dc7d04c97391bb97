package io.herald.core.event;

/**
 * Why a device's session ended, as a {@code device.disconnected} event names it ({@link #wireName()}). The gateway
 * records the reason where it decides to close a connection; a connection that closes without such a decision was
 * closed by the device or by the network ({@link #CLIENT_CLOSED}).
 */
public enum DisconnectReason {
    /** The device closed the connection (or sent ERROR, or MQTT DISCONNECT), or the network dropped it. */
    CLIENT_CLOSED("client_closed"),
    /** Nothing received within twice the heartbeat interval. */
    HEARTBEAT_TIMEOUT("heartbeat_timeout"),
    /** A QoS 1 message went unacked through every resend. */
    ACK_TIMEOUT("ack_timeout"),
    /** Closed through the API ({@code DELETE /api/v1/devices/{id}/session}, a device delete). */
    KICKED("kicked"),
    /** A newer connection authenticated with the same client id. */
    TAKEOVER("takeover"),
    /** The gateway is stopping and told the device to reconnect. */
    SERVER_SHUTDOWN("server_shutdown"),
    /** The device broke the protocol (malformed or unexpected frame). */
    PROTOCOL_ERROR("protocol_error"),
    /** The device kept sending over its rate limit. */
    RATE_LIMITED("rate_limited"),
    /** The gateway could not take what the device sent now (it reconnects and tries again). */
    SERVER_BUSY("server_busy"),
    /** The gateway failed (an internal error). */
    SERVER_ERROR("server_error");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
