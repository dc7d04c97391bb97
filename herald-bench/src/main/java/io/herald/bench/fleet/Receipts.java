package io.herald.bench.fleet;

import java.util.Collection;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The messages of one tagged run that a slice of the fleet (or, merged, the whole fleet) received: distinct message
 * ids, repeated receipts, and an order-free fingerprint of the distinct ids (the wrapping sum of a 64-bit mix of
 * each). A worker ships these few numbers instead of every id: the parent compares count and fingerprint with those
 * of the ids the push API accepted, and only when they differ asks for the ids themselves
 * ({@link SimulatedFleet#receivedIds}). Histograms are null in a progress poll.
 */
public record Receipts(long distinct, long duplicates, long fingerprint, long lastReceiveMicros,
                       Histogram latencyMicros, Histogram stampLatencyMicros) {

    /** Sums are exact (each device, and so each receipt, belongs to one slice); the fingerprint sum wraps by design. */
    public static Receipts merge(List<Receipts> slices) {
        long distinct = 0;
        long duplicates = 0;
        long fingerprint = 0;
        long last = 0;
        Histogram latency = null;
        Histogram stamp = null;
        for (Receipts slice : slices) {
            distinct += slice.distinct;
            duplicates += slice.duplicates;
            fingerprint += slice.fingerprint;
            last = Math.max(last, slice.lastReceiveMicros);
            if (slice.latencyMicros != null) {
                latency = latency == null ? new Histogram(3) : latency;
                stamp = stamp == null ? new Histogram(3) : stamp;
                latency.add(slice.latencyMicros);
                stamp.add(slice.stampLatencyMicros);
            }
        }
        return new Receipts(distinct, duplicates, fingerprint, last, latency, stamp);
    }

    /** True when exactly the given ids were received: same count and same fingerprint. */
    public boolean matches(Collection<Long> ids) {
        return distinct == ids.size() && fingerprint == fingerprintOf(ids);
    }

    public static long fingerprintOf(Collection<Long> ids) {
        long sum = 0;
        for (long id : ids) {
            sum += mix(id);
        }
        return sum;
    }

    /** SplitMix64's finaliser: neighbouring ids (Herald's are time-ordered) spread over all 64 bits. */
    public static long mix(long id) {
        long z = id + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
