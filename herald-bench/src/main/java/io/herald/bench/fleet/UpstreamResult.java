package io.herald.bench.fleet;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * How an upstream run went on a slice of the fleet (or, merged, all of it): messages sent, ACKs by outcome, those
 * still unacked after the drain, how long the sending and the whole run (until the last ACK) took, and the
 * send-to-ACK latencies.
 */
public record UpstreamResult(long sent, long ackedOk, long ackedRejected, long ackedRetry, long unacked,
                             long sendingNanos, long busyNanos, Histogram latencyMicros) {

    public long acked() {
        return ackedOk + ackedRejected + ackedRetry;
    }

    /** Counts summed, histograms added; the slices send at once, so the run took as long as the slowest. */
    public static UpstreamResult merge(List<UpstreamResult> slices) {
        long sent = 0;
        long ok = 0;
        long rejected = 0;
        long retry = 0;
        long unacked = 0;
        long sending = 0;
        long busy = 0;
        Histogram latency = new Histogram(3);
        for (UpstreamResult slice : slices) {
            sent += slice.sent;
            ok += slice.ackedOk;
            rejected += slice.ackedRejected;
            retry += slice.ackedRetry;
            unacked += slice.unacked;
            sending = Math.max(sending, slice.sendingNanos);
            busy = Math.max(busy, slice.busyNanos);
            latency.add(slice.latencyMicros);
        }
        return new UpstreamResult(sent, ok, rejected, retry, unacked, sending, busy, latency);
    }
}
