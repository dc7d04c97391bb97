package io.herald.bench.fleet;

import java.util.List;

/**
 * What connect and hold need from a fleet, wherever its devices live: in this process ({@link DeviceFleet}) or
 * spread over worker processes once one process's open-file limit is too small for the fleet.
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

    @Override
    void close();
}
