package io.herald.protocol;

/** Why the server sends a NOTICE frame. */
public enum NoticeKind {
    /** The session was ended (taken over by a newer connection, or kicked by an operator): do not reconnect. */
    KICKED(1),
    /** Reconnect after the given delay, logging in again to be assigned a gateway (e.g. this one drains). */
    RECONNECT(2),
    /** Reconnect to the gateway address given in the notice after the delay. */
    REDIRECT(3);

    private final int code;

    NoticeKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static NoticeKind ofCode(int code) {
        for (NoticeKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
