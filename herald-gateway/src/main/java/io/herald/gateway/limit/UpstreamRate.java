package io.herald.gateway.limit;

/**
 * How much one authenticated connection may send up: a token bucket for messages and one for bytes, each with a
 * rate per second and a burst, and how many refused messages within {@link UpstreamRateLimiter#REFUSAL_WINDOW}
 * end the connection. A rate of 0 turns that bucket off; {@link #OFF} turns the whole limit off.
 *
 * @param messagesPerSecond long-run messages per second (0: unlimited)
 * @param messageBurst      messages a connection that was quiet may send at once
 * @param bytesPerSecond    long-run bytes per second, counted as the MESSAGE frames' size on the wire
 *                          (0: unlimited)
 * @param byteBurst         bytes a connection that was quiet may send at once; a single frame larger than this
 *                          still passes when the allowance is full, and overdraws it
 * @param maxRefusals       refused messages a connection may accumulate within the refusal window; the next one
 *                          closes it (0: never close)
 */
public record UpstreamRate(int messagesPerSecond, int messageBurst, int bytesPerSecond, int byteBurst,
                           int maxRefusals) {
    /**
     * Far above what a telemetry device sends (a reading every few seconds), so a device that plays by the rules
     * never meets it; yet one device gets at most a small share of what a gateway can handle (about 5,000
     * messages/s on 2 cores, docs/performance.md). The burst is two seconds' worth: a device resending its
     * unacknowledged messages after a reconnect is not refused for a short backlog.
     */
    public static final int DEFAULT_MESSAGES_PER_SECOND = 100;
    public static final int DEFAULT_MESSAGE_BURST = 200;
    /** 1 MiB/s, burst 2 MiB: 16 maximal (64 KiB) frames a second, 32 at once. */
    public static final int DEFAULT_BYTES_PER_SECOND = 1024 * 1024;
    public static final int DEFAULT_BYTE_BURST = 2 * 1024 * 1024;
    /**
     * Ten seconds of refusals at ten times the default message rate: a client that ignores ACK RETRY and keeps
     * sending, not one that overshot once.
     */
    public static final int DEFAULT_MAX_REFUSALS = 1_000;

    public static final UpstreamRate DEFAULTS = new UpstreamRate(DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST,
            DEFAULT_BYTES_PER_SECOND, DEFAULT_BYTE_BURST, DEFAULT_MAX_REFUSALS);
    public static final UpstreamRate OFF = new UpstreamRate(0, 0, 0, 0, 0);

    public UpstreamRate {
        require(messagesPerSecond >= 0, "upstream messages per second must not be negative, was "
                + messagesPerSecond);
        require(messagesPerSecond == 0 || messageBurst >= 1, "upstream message burst must be at least 1, was "
                + messageBurst);
        require(bytesPerSecond >= 0, "upstream bytes per second must not be negative, was " + bytesPerSecond);
        require(bytesPerSecond == 0 || byteBurst >= 1, "upstream byte burst must be at least 1, was " + byteBurst);
        require(maxRefusals >= 0, "upstream max refusals must not be negative, was " + maxRefusals);
    }

    /** Whether anything is limited at all; when not, the gateway leaves the limiter out of the pipeline. */
    public boolean enabled() {
        return messagesPerSecond > 0 || bytesPerSecond > 0;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
