package io.herald.protocol;

/** Delivery guarantee of a message. */
public enum Qos {
    /** Sent once, never stored or retried. */
    AT_MOST_ONCE(0),
    /** Acknowledged by the receiver; retried, and stored while the device is offline. */
    AT_LEAST_ONCE(1);

    private final int level;

    Qos(int level) {
        this.level = level;
    }

    public int level() {
        return level;
    }

    /** The QoS for 0 or 1; {@code null} for anything else. */
    public static Qos ofLevel(int level) {
        return switch (level) {
            case 0 -> AT_MOST_ONCE;
            case 1 -> AT_LEAST_ONCE;
            default -> null;
        };
    }
}
