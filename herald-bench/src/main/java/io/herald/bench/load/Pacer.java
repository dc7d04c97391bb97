package io.herald.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The load shape of an open-loop run: the i-th operation is due at {@code start + i / rate}, whatever happened
 * to earlier ones, so a slow server does not lower the offered rate (no coordinated omission in the schedule).
 * A rate of 0 means "as fast as the caller's in-flight bound allows". Bounded by a deadline.
 */
public final class Pacer {
    private final double ratePerSecond;
    private final long startNanos;
    private final long deadlineNanos;
    private long issued;

    public Pacer(double ratePerSecond, long startNanos, long deadlineNanos) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative, was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** Waits until the next operation is due; false once the deadline has passed (the run is over). */
    public boolean awaitNext() {
        long due = ratePerSecond == 0 ? startNanos : startNanos + (long) (issued * 1e9 / ratePerSecond);
        if (due >= deadlineNanos) {
            return false;
        }
        long wait = due - System.nanoTime();
        if (wait > 50_000) {
            LockSupport.parkNanos(wait);
        }
        issued++;
        return System.nanoTime() < deadlineNanos;
    }

    public long issued() {
        return issued;
    }
}
