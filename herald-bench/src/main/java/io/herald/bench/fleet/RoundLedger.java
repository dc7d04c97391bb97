package io.herald.bench.fleet;

import io.herald.bench.measure.BenchPayload;
import io.herald.protocol.frame.MessageFrame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One broadcast round's receipts on one slice of the fleet: which devices got the round's tag (each counted once,
 * a second receipt is a duplicate) and the latency of each first receipt. Fed on the devices' event loops.
 */
final class RoundLedger {
    private final int tag;
    private final int expected;
    private final AtomicIntegerArray seen;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicLong duplicates = new AtomicLong();
    private final Histogram latency = new ConcurrentHistogram(3);
    private final Histogram stampLatency = new ConcurrentHistogram(3);

    /** @param expected the slice's devices online when the round starts */
    RoundLedger(int tag, int expected, int devices) {
        this.tag = tag;
        this.expected = expected;
        this.seen = new AtomicIntegerArray(devices);
    }

    int tag() {
        return tag;
    }

    int expected() {
        return expected;
    }

    void record(int deviceIndex, MessageFrame message, long receivedMicros) {
        if (BenchPayload.tag(message.payload()) != tag) {
            return;
        }
        if (!seen.compareAndSet(deviceIndex, 0, 1)) {
            duplicates.incrementAndGet();
            return;
        }
        long sent = BenchPayload.sendMicros(message.payload());
        if (sent > 0) {
            latency.recordValue(Math.max(1, receivedMicros - sent));
        }
        stampLatency.recordValue(Math.max(1, receivedMicros - message.timestamp() * 1_000));
        delivered.incrementAndGet(); // last: a snapshot taken once all are counted has all their latencies
    }

    /** Waits until every expected device has the round, or the deadline; then what the slice received. */
    RoundReceipts await(long deadlineNanos) {
        while (delivered.get() < expected && System.nanoTime() < deadlineNanos) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return new RoundReceipts(expected, delivered.get(), duplicates.get(), latency.copy(), stampLatency.copy());
    }
}
