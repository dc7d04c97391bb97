package io.herald.client.internal;

/**
 * Remembers the ids of the last {@code window} downstream messages, so that a redelivery (after a lost ACK or
 * a reconnect) is acknowledged again but not handed to the application twice. Ids are forgotten oldest
 * first. Memory grows with use, up to the window: an idle client costs almost nothing. Not thread-safe: it
 * belongs to one client's event loop.
 */
public final class DuplicateFilter {
    private static final int INITIAL_RING_CAPACITY = 16;

    private final int window;
    private final LongHashSet seen = new LongHashSet();
    /** The remembered ids in arrival order, as a circular buffer starting at {@code oldest}. */
    private long[] ring;
    private int oldest;
    private int count;

    public DuplicateFilter(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.window = window;
        this.ring = new long[Math.min(window, INITIAL_RING_CAPACITY)];
    }

    /**
     * Records the id and tells whether this is its first appearance within the window.
     *
     * @return true the first time, false for a duplicate (which is not recorded again)
     */
    public boolean firstSeen(long messageId) {
        if (seen.contains(messageId)) {
            return false;
        }
        if (count == window) {
            seen.remove(ring[oldest]);
            ring[oldest] = messageId;
            oldest = (oldest + 1) % ring.length;
        } else {
            if (count == ring.length) {
                grow();
            }
            ring[(oldest + count) % ring.length] = messageId;
            count++;
        }
        seen.add(messageId);
        return true;
    }

    /** How many ids are remembered now (at most the window). */
    public int size() {
        return count;
    }

    private void grow() {
        long[] bigger = new long[Math.min(window, ring.length * 2)];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(oldest + i) % ring.length];
        }
        ring = bigger;
        oldest = 0;
    }
}
