package io.herald.cluster.link.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between reconnect attempts to one gateway: doubling from the minimum up to the maximum, each drawn at
 * random from its upper half, so the API nodes that all lost the same gateway do not come back in lockstep.
 * Not thread-safe: used on the link's event loop only.
 */
final class ReconnectBackoff {
    private final long minNanos;
    private final long maxNanos;
    private long ceilingNanos;

    ReconnectBackoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.ceilingNanos = minNanos;
    }

    /** The pause before the next attempt, in nanoseconds. */
    long nextNanos() {
        long ceiling = ceilingNanos;
        ceilingNanos = Math.min(maxNanos, ceiling * 2);
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** After a successful connection: the next drop is retried quickly again. */
    void reset() {
        ceilingNanos = minNanos;
    }
}
