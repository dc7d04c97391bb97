package io.herald.gateway.delivery;

/**
 * The ids of the last messages a queue's store reads returned, in a fixed ring: adding one past the capacity forgets
 * the oldest. Why a queue keeps them: a push stores its message, waits for the write to be durable, then hands it
 * over ({@link DownstreamQueue#offerStored}); a read that ran in between has returned it already, may even have had
 * it acked, and the hand-over must not send it a second time. Only the pushes in flight to the device when its store
 * was read can race like this, a few at most: the last {@link #CAPACITY} ids cover them. Event loop only.
 */
final class FetchedIds {
    static final int CAPACITY = 16;

    private final long[] ids;
    private int size;
    private int next;

    FetchedIds() {
        this(CAPACITY);
    }

    FetchedIds(int capacity) {
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
