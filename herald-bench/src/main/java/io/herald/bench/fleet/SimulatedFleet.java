package io.herald.bench.fleet;

import java.util.List;

/**
 * A fleet as the scenarios drive it, wherever its devices live: in this process ({@link FleetSlice}) or spread over
 * worker processes once one process's open-file limit is too small for it (the worker pool, which runs a
 * {@link FleetSlice} in each worker and merges their answers). Whatever a device observes is counted in its slice
 * and comes back as counts and histograms that merge exactly; the scenario pushes, restarts and judges.
 * Not thread-safe: one thread drives a fleet.
 */
public interface SimulatedFleet extends AutoCloseable {

    /** Connects every device and waits, at most until the timeout, for all to be online. */
    DeviceFleet.ConnectResult connectAll(long timeoutNanos);

    /** Keeps the devices connected for {@code nanos}; the fewest seen online meanwhile. */
    int holdFor(long nanos);

    /** Closes every connection and waits (bounded) until all are down. */
    void disconnectAll(long timeoutNanos);

    /** The processes whose CPU simulates the devices. */
    List<Long> pids();

    /** Every device's id, in fleet order: the targets of pushes. */
    List<String> clientIds();

    int online();

    /** Starts counting broadcast round {@code tag}; the devices online now, which the round is expected to reach. */
    int beginRound(int tag);

    /** Waits, at most {@code timeoutNanos}, until every expected device had round {@code tag}; its receipts. */
    RoundReceipts awaitRound(int tag, long timeoutNanos);

    /** Starts counting the messages tagged {@code tag} (a point-to-point run); earlier counts are dropped. */
    void beginReceipts(int tag);

    /** The messages tagged {@code tag} received so far; with the latency histograms when asked for. */
    Receipts receipts(int tag, boolean histograms);

    /** The distinct ids of the messages tagged {@code tag} received so far: only when {@link #receipts} disagree. */
    long[] receivedIds(int tag);

    /** The devices send upstream as planned (shared out over the slices); returns when drained. */
    UpstreamResult sendUpstream(UpstreamPlan plan);

    /** From now on, what a device whose connection drops does ({@link ReconnectMode#NEVER}: nothing). */
    void reconnectOnDrop(ReconnectMode mode);

    /** From now on, {@link FleetStatus#firstBackMicros()} is the first device to come online. */
    void markBack();

    FleetStatus status();

    @Override
    void close();
}
