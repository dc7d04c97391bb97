package io.herald.protocol;

/** The frame types of protocol version 1, with their one-byte codes. */
public enum FrameType {
    AUTH(0x01),
    AUTH_OK(0x02),
    AUTH_FAIL(0x03),
    PING(0x04),
    PONG(0x05),
    MESSAGE(0x06),
    ACK(0x07),
    ERROR(0x08),
    NOTICE(0x09);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or {@code null} when the code is not a known type. */
    public static FrameType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
