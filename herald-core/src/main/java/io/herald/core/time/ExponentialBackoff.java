package io.herald.core.time;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between retries of something failing (a gateway link, an archiver batch, a webhook request): the ceiling
 * doubles from {@code initial} up to {@code max}, and each pause is drawn at random from the upper half of its
 * ceiling, so a dependency that comes back is retried quickly, a longer outage is not hammered, and the many nodes
 * or threads that failed together do not retry in lockstep. Not thread-safe: one per retrying loop.
 */
public final class ExponentialBackoff {
    private final long initialNanos;
    private final long maxNanos;
    private long ceilingNanos;

    public ExponentialBackoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + ", " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.ceilingNanos = initialNanos;
    }

    /** The pause before the next retry, in [ceiling / 2, ceiling]; each call doubles the ceiling, up to the maximum. */
    public long nextNanos() {
        long ceiling = ceilingNanos;
        ceilingNanos = ceiling > maxNanos / 2 ? maxNanos : Math.min(maxNanos, ceiling * 2);
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** {@link #nextNanos()} as a duration. */
    public Duration next() {
        return Duration.ofNanos(nextNanos());
    }

    /** After a success: the next failure is retried after a pause of about {@code initial} again. */
    public void reset() {
        ceilingNanos = initialNanos;
    }
}
