package io.herald.client.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Ids for upstream messages, unique per client also across restarts, without storing anything:
 * {@code (milliseconds since 2024-01-01) << 22 | counter}. The server de-duplicates upstream messages by
 * (client, id), so an id must never come back — a restart starts from the clock, past every id the previous
 * run could have made unless it made more than four million ids per millisecond or the clock went back.
 * Ids strictly increase; when the counter runs out within a millisecond the generator borrows from the next
 * one instead of waiting. Thread-safe.
 */
public final class UpstreamIdGenerator {
    static final long EPOCH_MILLIS = 1_704_067_200_000L;
    static final int COUNTER_BITS = 22;

    private final LongSupplier clock;
    private final AtomicLong last = new AtomicLong();

    public UpstreamIdGenerator() {
        this(System::currentTimeMillis);
    }

    UpstreamIdGenerator(LongSupplier clock) {
        this.clock = clock;
    }

    public long next() {
        long fromClock = Math.max(0, clock.getAsLong() - EPOCH_MILLIS) << COUNTER_BITS;
        return last.updateAndGet(previous -> Math.max(fromClock, previous + 1));
    }
}
