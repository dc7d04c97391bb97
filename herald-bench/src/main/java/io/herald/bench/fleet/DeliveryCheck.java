package io.herald.bench.fleet;

import io.herald.bench.measure.BenchClock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Did every message the push API accepted reach its device, wherever the device lives? The fleet reports its
 * receipts as a count and a fingerprint; when both equal those of the accepted ids, every accepted message arrived
 * and nothing else did. Only otherwise (a loss, or a message delivered whose push answer failed) are the received
 * ids fetched, to count exactly which accepted ones arrived. Duplicates are counted where they are received.
 */
public final class DeliveryCheck {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** QoS 0 has no "all arrived" to wait for: the run is over once nothing arrived for this long. */
    private static final long QUIET_MICROS = 300_000;

    /** The run's outcome: accepted and distinct-delivered counts, and the merged receipts with their histograms. */
    public record Outcome(long accepted, long delivered, Receipts receipts) {
        public long lost() {
            return accepted - delivered;
        }
    }

    private DeliveryCheck() {
    }

    /**
     * Waits until the fleet received exactly the accepted ids or, with {@code untilQuiet} (QoS 0), until nothing
     * arrived for a moment; at most until the deadline.
     */
    public static void await(SimulatedFleet fleet, int tag, Set<Long> accepted, boolean untilQuiet,
                             long deadlineNanos) {
        long waitStartMicros = BenchClock.epochMicros();
        while (System.nanoTime() < deadlineNanos) {
            Receipts receipts = fleet.receipts(tag, false);
            if (receipts.matches(accepted)) {
                return;
            }
            long lastMicros = Math.max(waitStartMicros, receipts.lastReceiveMicros());
            if (untilQuiet && BenchClock.epochMicros() - lastMicros > QUIET_MICROS) {
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The final count: exact, with the received ids fetched only when the summary does not match. */
    public static Outcome settle(SimulatedFleet fleet, int tag, Set<Long> accepted) {
        Receipts receipts = fleet.receipts(tag, true);
        if (receipts.matches(accepted)) {
            return new Outcome(accepted.size(), accepted.size(), receipts);
        }
        long delivered = 0;
        for (long id : fleet.receivedIds(tag)) {
            if (accepted.contains(id)) {
                delivered++;
            }
        }
        return new Outcome(accepted.size(), delivered, receipts);
    }
}
