package io.herald.gateway.limit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the gateway's open device connections and refuses one more than its capacity. Thread-safe: connections open
 * and close on every event loop, and a compare-and-set loop lets no two of them take the last slot.
 */
public final class ConnectionCapacity {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    /** @param max connections allowed at once, at least 1 */
    public ConnectionCapacity(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, was " + max);
        }
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Counts a new connection; false (and nothing counted) when the gateway already holds the maximum. */
    public boolean tryOpen() {
        while (true) {
            int current = open.get();
            if (current >= max) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Uncounts a connection that {@link #tryOpen} counted. */
    public void closed() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
