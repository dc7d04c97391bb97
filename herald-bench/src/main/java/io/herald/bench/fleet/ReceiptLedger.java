package io.herald.bench.fleet;

import io.herald.bench.measure.BenchPayload;
import io.herald.protocol.frame.MessageFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The messages of one tagged run received on one slice of the fleet, deduplicated by message id. Keeps the ids (the
 * slice's share of the run's messages) so that the parent can ask for them when the summary does not match what it
 * pushed. Fed on the devices' event loops.
 */
final class ReceiptLedger {
    private final int tag;
    private final Set<Long> ids = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong fingerprint = new AtomicLong();
    private final Histogram latency = new ConcurrentHistogram(3);
    private final Histogram stampLatency = new ConcurrentHistogram(3);
    private volatile long lastReceiveMicros;

    ReceiptLedger(int tag) {
        this.tag = tag;
    }

    int tag() {
        return tag;
    }

    void record(MessageFrame message, long receivedMicros) {
        if (BenchPayload.tag(message.payload()) != tag) {
            return;
        }
        if (!ids.add(message.messageId())) {
            duplicates.incrementAndGet();
            return;
        }
        fingerprint.addAndGet(Receipts.mix(message.messageId()));
        lastReceiveMicros = receivedMicros;
        long sent = BenchPayload.sendMicros(message.payload());
        if (sent > 0) {
            latency.recordValue(Math.max(1, receivedMicros - sent));
        }
        stampLatency.recordValue(Math.max(1, receivedMicros - message.timestamp() * 1_000));
    }

    /**
     * Count and fingerprint, with the histograms when asked for. A poll that catches a receipt half-counted (id
     * added, fingerprint not yet) only sees a mismatch and polls again.
     */
    Receipts summary(boolean histograms) {
        return new Receipts(ids.size(), duplicates.get(), fingerprint.get(), lastReceiveMicros,
                histograms ? latency.copy() : null, histograms ? stampLatency.copy() : null);
    }

    long[] ids() {
        return ids.stream().mapToLong(Long::longValue).toArray();
    }
}
