package io.herald.bench.load;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds requests in flight; waiting for a slot is bounded by a deadline so that a stuck server ends the run.
 *
 * <p>Release a slot only after the request's outcome is recorded: {@link #awaitIdle} returning is then the proof
 * that every answer has been counted. (Releasing first let a run read its figures before the last answer was
 * added, and report a delivered message as lost.)
 */
public final class InFlightLimit {
    private final Semaphore permits;
    private final int max;

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("in-flight limit must be at least 1, was " + max);
        }
        this.max = max;
        this.permits = new Semaphore(max);
    }

    /** True when a slot was taken before the deadline. */
    public boolean acquire(long deadlineNanos) {
        try {
            return permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void release() {
        permits.release();
    }

    /** Waits (bounded) until every slot is free again: all requests have answered. */
    public boolean awaitIdle(long deadlineNanos) {
        if (!acquireAll(deadlineNanos)) {
            return false;
        }
        permits.release(max);
        return true;
    }

    private boolean acquireAll(long deadlineNanos) {
        try {
            return permits.tryAcquire(max, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
