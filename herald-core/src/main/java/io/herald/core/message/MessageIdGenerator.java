package io.herald.core.message;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique, time-ordered 63-bit message ids: {@code millis since 2024-01-01 (41 bits) | node (10 bits) | sequence
 * (12 bits)}. Ordering by id is ordering by creation time, so stored messages replay in push order. When more
 * than 4096 ids are asked for in one millisecond the generator borrows from the next millisecond instead of
 * blocking; it never goes backwards, even if the wall clock does.
 */
public final class MessageIdGenerator {
    private static final long EPOCH_MILLIS = 1_704_067_200_000L;
    private static final int NODE_BITS = 10;
    private static final int SEQUENCE_BITS = 12;
    public static final int MAX_NODE = (1 << NODE_BITS) - 1;

    private final Clock clock;
    private final long node;
    private final AtomicLong last = new AtomicLong();

    public MessageIdGenerator(Clock clock, int node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node id must be 0-" + MAX_NODE + ", was " + node);
        }
        this.clock = clock;
        this.node = node;
    }

    public long next() {
        long fromClock = ((clock.millis() - EPOCH_MILLIS) << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS);
        long sequenceStep = 1;
        while (true) {
            long previous = last.get();
            long candidate = fromClock > previous ? fromClock : nextAfter(previous, sequenceStep);
            if (last.compareAndSet(previous, candidate)) {
                return candidate;
            }
        }
    }

    private long nextAfter(long previous, long step) {
        long sequenceMask = (1L << SEQUENCE_BITS) - 1;
        if ((previous & sequenceMask) < sequenceMask) {
            return previous + step;
        }
        // sequence exhausted in this millisecond: move to the next millisecond, sequence 0
        long millisPart = (previous >>> (NODE_BITS + SEQUENCE_BITS)) + 1;
        return (millisPart << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS);
    }

    /** Epoch milliseconds encoded in an id. */
    public static long timestampOf(long messageId) {
        return (messageId >>> (NODE_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS;
    }
}
