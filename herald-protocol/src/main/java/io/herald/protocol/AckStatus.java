package io.herald.protocol;

/** Outcome carried by an ACK frame. */
public enum AckStatus {
    /** The message was accepted (upstream: stored and handled; downstream: received). */
    OK(0),
    /** The message will never be accepted (no handler, invalid payload): do not resend it. */
    REJECTED(1),
    /** Accepting failed for a passing reason: resend later. */
    RETRY(2);

    private final int code;

    AckStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AckStatus ofCode(int code) {
        return switch (code) {
            case 0 -> OK;
            case 1 -> REJECTED;
            case 2 -> RETRY;
            default -> null;
        };
    }
}
