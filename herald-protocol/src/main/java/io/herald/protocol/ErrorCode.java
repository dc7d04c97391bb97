package io.herald.protocol;

/** Error codes carried by ERROR and AUTH_FAIL frames (u16 on the wire). */
public enum ErrorCode {
    BAD_MAGIC(1),
    UNSUPPORTED_VERSION(2),
    UNKNOWN_FRAME_TYPE(3),
    FRAME_TOO_LARGE(4),
    MALFORMED_FRAME(5),
    AUTH_REQUIRED(10),
    AUTH_TIMEOUT(11),
    INVALID_TOKEN(12),
    ALREADY_AUTHENTICATED(13),
    UNEXPECTED_FRAME(14),
    /** Nothing arrived from the device for twice the heartbeat interval. */
    IDLE_TIMEOUT(15),
    /** A QoS 1 message stayed unacknowledged after the last resend. */
    ACK_TIMEOUT(16),
    RATE_LIMITED(20),
    SERVER_BUSY(21),
    /** This gateway holds its maximum of connections: log in again to be given another gateway. */
    GATEWAY_FULL(22),
    INTERNAL_ERROR(50);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error for a wire code; unknown codes (from a newer peer) map to {@link #INTERNAL_ERROR}. */
    public static ErrorCode ofCode(int code) {
        for (ErrorCode error : values()) {
            if (error.code == code) {
                return error;
            }
        }
        return INTERNAL_ERROR;
    }
}
