package io.herald.bench.fleet;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Where a fleet (or one slice of it) stands while it reconnects: devices online, HTTP logins so far, when the last
 * device came online and the first came back after {@link SimulatedFleet#markBack()} (epoch µs, 0: none yet), and
 * the drop-to-online time of every reconnect since {@link SimulatedFleet#reconnectOnDrop} was switched on.
 */
public record FleetStatus(int online, long logins, long lastOnlineMicros, long firstBackMicros,
                          Histogram reconnectMicros) {

    public static FleetStatus merge(List<FleetStatus> slices) {
        int online = 0;
        long logins = 0;
        long last = 0;
        long firstBack = 0;
        Histogram reconnect = new Histogram(3);
        for (FleetStatus slice : slices) {
            online += slice.online;
            logins += slice.logins;
            last = Math.max(last, slice.lastOnlineMicros);
            if (slice.firstBackMicros != 0) {
                firstBack = firstBack == 0 ? slice.firstBackMicros : Math.min(firstBack, slice.firstBackMicros);
            }
            reconnect.add(slice.reconnectMicros);
        }
        return new FleetStatus(online, logins, last, firstBack, reconnect);
    }
}
