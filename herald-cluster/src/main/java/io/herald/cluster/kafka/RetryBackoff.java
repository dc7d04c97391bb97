package io.herald.cluster.kafka;

import java.time.Duration;

/**
 * Pauses between retries of a failing batch: doubling from {@code initial} up to {@code max}, so a database
 * restart is retried quickly and a longer outage is not hammered. Not thread-safe: one per archiver thread.
 */
final class RetryBackoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    RetryBackoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The pause before the next retry; each call doubles the one after it, up to the maximum. */
    Duration next() {
        Duration pause = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return pause;
    }

    /** After a success: the next failure is retried after the initial pause again. */
    void reset() {
        next = initial;
    }
}
