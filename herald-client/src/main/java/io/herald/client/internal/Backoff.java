package io.herald.client.internal;

import io.herald.client.Jitter;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Delays between retries: exponential growth up to a cap, randomised by {@link Jitter} so that many devices
 * failing together spread their retries out. Stateful (it counts attempts); not thread-safe — each client
 * uses its own instances on its event loop.
 */
public final class Backoff {
    /** The factor of the decorrelated-jitter formula: next ∈ [initial, 3 × previous]. */
    private static final long DECORRELATED_FACTOR = 3;

    private final long initialMillis;
    private final long maxMillis;
    private final double multiplier;
    private final Jitter jitter;
    private final RandomGenerator random;
    private int attempts;
    private long previousMillis;

    public Backoff(Duration initial, Duration max, double multiplier, Jitter jitter, RandomGenerator random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be >= 1.0, was " + multiplier);
        }
        this.multiplier = multiplier;
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.random = Objects.requireNonNull(random, "random");
        this.previousMillis = initialMillis;
    }

    /** The delay before the next attempt; each call counts one more attempt. */
    public Duration nextDelay() {
        attempts++;
        long delay = switch (jitter) {
            case FULL -> random.nextLong(ceilingMillis(attempts) + 1);
            case DECORRELATED -> {
                long upper = Math.min(maxMillis, Math.max(initialMillis, saturatedTimes(previousMillis)));
                yield upper <= initialMillis ? initialMillis : random.nextLong(initialMillis, upper + 1);
            }
        };
        previousMillis = delay;
        return Duration.ofMillis(delay);
    }

    /**
     * The upper bound of the {@code attempt}-th delay (1-based) under full jitter:
     * {@code min(max, initial × multiplier^(attempt-1))}.
     */
    public long ceilingMillis(int attempt) {
        double ceiling = initialMillis * Math.pow(multiplier, Math.max(0, attempt - 1));
        return ceiling >= maxMillis ? maxMillis : (long) ceiling;
    }

    /** Attempts counted since creation or the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    /** Starts over from the initial delay, after a success. */
    public void reset() {
        attempts = 0;
        previousMillis = initialMillis;
    }

    private static long saturatedTimes(long millis) {
        return millis > Long.MAX_VALUE / DECORRELATED_FACTOR ? Long.MAX_VALUE : millis * DECORRELATED_FACTOR;
    }
}
