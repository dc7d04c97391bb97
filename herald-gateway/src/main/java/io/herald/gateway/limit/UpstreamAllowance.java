package io.herald.gateway.limit;

/**
 * One connection's standing with its {@link UpstreamRateLimiter}: four numbers, so that tens of thousands of
 * connections can each have one. Times are ticker nanoseconds. Confined to the connection's event loop.
 */
public final class UpstreamAllowance {
    /** When the message bucket will be full again (GCRA's "theoretical arrival time"). */
    long messagesFullAt;
    /** When the byte bucket will be full again. */
    long bytesFullAt;
    long refusalWindowStart;
    int refusals;

    /** A full allowance at {@code now}. */
    public UpstreamAllowance(long now) {
        messagesFullAt = now;
        bytesFullAt = now;
        refusalWindowStart = now;
    }
}
