package io.herald.gateway.limit;

import java.util.concurrent.TimeUnit;

/**
 * Decides, message by message, whether a connection stays within its {@link UpstreamRate}. Both buckets are kept
 * as GCRA (generic cell rate algorithm): instead of a token count refilled by a timer, each holds the time at which
 * it will be full again, so a connection's state is a few longs and nothing runs between its messages. Shared by
 * every connection; the state lives in each connection's {@link UpstreamAllowance}.
 */
public final class UpstreamRateLimiter {
    /** Refusals are counted in fixed windows of this length. */
    public static final long REFUSAL_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** What to do with a message. */
    public enum Verdict {
        /** Within the limit: handle it. */
        ACCEPT,
        /** Over the limit: do not handle it; the device should send it again later. */
        REFUSE,
        /** Over the limit too often within the refusal window: close the connection. */
        CLOSE
    }

    private final UpstreamRate rate;
    /** Time one message costs; 0 when messages are not limited. */
    private final long nanosPerMessage;
    /** How far ahead of now the message bucket's "full again" may be: the burst, in time. */
    private final long messageTolerance;
    private final long byteTolerance;

    public UpstreamRateLimiter(UpstreamRate rate) {
        this.rate = rate;
        this.nanosPerMessage = rate.messagesPerSecond() == 0 ? 0 : NANOS_PER_SECOND / rate.messagesPerSecond();
        this.messageTolerance = nanosPerMessage * rate.messageBurst();
        this.byteTolerance = byteCost(rate.byteBurst());
    }

    public UpstreamRate rate() {
        return rate;
    }

    /** Charges a message of {@code bytes} to the allowance if it fits; otherwise counts a refusal. */
    public Verdict admit(UpstreamAllowance allowance, int bytes, long now) {
        long messagesFullAt = Math.max(allowance.messagesFullAt - now, 0) + now;
        long bytesFullAt = Math.max(allowance.bytesFullAt - now, 0) + now;
        long cost = byteCost(bytes);
        boolean messageFits = nanosPerMessage == 0 || messagesFullAt + nanosPerMessage - now <= messageTolerance;
        // A frame larger than the whole byte burst passes when the bucket is full, and overdraws it: otherwise it
        // would be refused forever.
        boolean bytesFit = rate.bytesPerSecond() == 0 || bytesFullAt + cost - now <= byteTolerance
                || bytesFullAt == now;
        if (messageFits && bytesFit) {
            allowance.messagesFullAt = messagesFullAt + nanosPerMessage;
            allowance.bytesFullAt = bytesFullAt + cost;
            return Verdict.ACCEPT;
        }
        return refused(allowance, now);
    }

    private Verdict refused(UpstreamAllowance allowance, long now) {
        if (now - allowance.refusalWindowStart >= REFUSAL_WINDOW_NANOS) {
            allowance.refusalWindowStart = now;
            allowance.refusals = 0;
        }
        allowance.refusals++;
        return rate.maxRefusals() > 0 && allowance.refusals > rate.maxRefusals() ? Verdict.CLOSE : Verdict.REFUSE;
    }

    /** The time {@code bytes} cost at the byte rate (bytes up to 8 MiB times 1e9 fit a long). */
    private long byteCost(long bytes) {
        return rate.bytesPerSecond() == 0 ? 0 : bytes * NANOS_PER_SECOND / rate.bytesPerSecond();
    }
}
