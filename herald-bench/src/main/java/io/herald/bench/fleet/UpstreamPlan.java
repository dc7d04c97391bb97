package io.herald.bench.fleet;

import io.herald.protocol.ContentType;

/**
 * What the devices send upstream: a total rate (0: as fast as the in-flight bound allows) for a while, typed
 * messages, at most {@code maxInFlight} unacked at once, then up to {@code drainNanos} for the last ACKs.
 */
public record UpstreamPlan(double ratePerSecond, long durationNanos, ContentType type, int maxInFlight,
                           long drainNanos) {

    /** One of {@code processes} equal shares, for a slice of the fleet: rate and in-flight bound divided. */
    public UpstreamPlan share(int processes) {
        return new UpstreamPlan(ratePerSecond / processes, durationNanos, type,
                Math.max(1, maxInFlight / processes), drainNanos);
    }
}
