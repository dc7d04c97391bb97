package io.herald.gateway.limit;

import io.herald.gateway.proxy.ProxySources;
import java.util.Objects;

/**
 * The gateway's limits on what connections may take: the upstream rate of each authenticated connection, the
 * number of connections open at once from one remote address, and the number open at once in all (the gateway's
 * capacity: every connection holds one of the process's open files, and a process that runs out of them can no
 * longer accept on its ops port or reconnect to Redis, ZooKeeper or Kafka either).
 *
 * @param upstreamRate             per-connection upstream messages and bytes; {@link UpstreamRate#OFF} for none
 * @param maxConnectionsPerAddress concurrent connections per remote IP address; 0 for no limit
 * @param maxConnections           concurrent device connections in all (every listener, authenticated or not);
 *                                 0 for no limit
 * @param proxySources             balancers whose PROXY protocol header names the device's address, which the
 *                                 per-address limits then count; {@link ProxySources#NONE} for none
 */
public record AbuseLimits(UpstreamRate upstreamRate, int maxConnectionsPerAddress, int maxConnections,
                          ProxySources proxySources) {
    /**
     * Generous, because IoT fleets sit behind NAT and carrier-grade NAT: a thousand devices on one address is
     * plausible, ten thousand from one address is one client trying to hold the gateway's sockets.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;

    public static final AbuseLimits DEFAULTS = new AbuseLimits(UpstreamRate.DEFAULTS,
            DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    public static final AbuseLimits OFF = new AbuseLimits(UpstreamRate.OFF, 0);

    public AbuseLimits {
        Objects.requireNonNull(upstreamRate, "upstreamRate");
        Objects.requireNonNull(proxySources, "proxySources");
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("max connections per address must not be negative (0: no limit), was "
                    + maxConnectionsPerAddress);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max connections must not be negative (0: no limit), was "
                    + maxConnections);
        }
    }

    /** No limit on the connections in all, no balancer trusted. */
    public AbuseLimits(UpstreamRate upstreamRate, int maxConnectionsPerAddress) {
        this(upstreamRate, maxConnectionsPerAddress, 0, ProxySources.NONE);
    }

    public AbuseLimits withUpstreamRate(UpstreamRate rate) {
        return new AbuseLimits(rate, maxConnectionsPerAddress, maxConnections, proxySources);
    }

    public AbuseLimits withMaxConnectionsPerAddress(int max) {
        return new AbuseLimits(upstreamRate, max, maxConnections, proxySources);
    }

    public AbuseLimits withMaxConnections(int max) {
        return new AbuseLimits(upstreamRate, maxConnectionsPerAddress, max, proxySources);
    }

    public AbuseLimits withProxySources(ProxySources sources) {
        return new AbuseLimits(upstreamRate, maxConnectionsPerAddress, maxConnections, sources);
    }
}
