package io.herald.gateway.delivery;

/**
 * The last few message ids a queue saw, in a fixed ring: adding one past the capacity forgets the oldest. Event
 * loop only, like its queue.
 */
final class RecentIds {
    private final long[] ids;
    private int size;
    private int next;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.ids = new long[capacity];
    }

    void add(long id) {
        ids[next] = id;
        next = (next + 1) % ids.length;
        size = Math.min(size + 1, ids.length);
    }

    boolean contains(long id) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }
}
