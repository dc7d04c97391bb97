package io.herald.bench.fleet;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one broadcast round reached, over one slice of the fleet or (merged) all of it: the devices online when it was
 * pushed ({@code expected}), those that received it, repeated receipts, and the push-to-receive latencies of the first
 * receipt per device. The latency histogram is also the round's timeline: its {@code k}-th smallest value is when
 * the {@code k}-th device had the round, so the time to 99% and 100% come out of it whatever process recorded it.
 */
public record RoundReceipts(int expected, int delivered, long duplicates, Histogram latencyMicros,
                            Histogram stampLatencyMicros) {

    /** Counts summed, histograms added: exact, since each device lives in exactly one slice. */
    public static RoundReceipts merge(List<RoundReceipts> slices) {
        int expected = 0;
        int delivered = 0;
        long duplicates = 0;
        Histogram latency = new Histogram(3);
        Histogram stamp = new Histogram(3);
        for (RoundReceipts slice : slices) {
            expected += slice.expected;
            delivered += slice.delivered;
            duplicates += slice.duplicates;
            latency.add(slice.latencyMicros);
            stamp.add(slice.stampLatencyMicros);
        }
        return new RoundReceipts(expected, delivered, duplicates, latency, stamp);
    }

    /** Micros from the push until {@code share} (0..1) of the expected devices had it; -1 when never reached. */
    public long microsUntil(double share) {
        int needed = Math.max(1, (int) Math.ceil(expected * share));
        if (delivered < needed || latencyMicros.getTotalCount() == 0) {
            return -1;
        }
        return latencyMicros.getValueAtPercentile(100.0 * needed / latencyMicros.getTotalCount());
    }
}
