package io.herald.gateway.limit;

import io.herald.core.net.AddressBlocks;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per remote address and refuses one more than the limit. Many devices may share an
 * address (a fleet behind NAT, a mobile carrier's gateway), so the limit is about one source holding a share of
 * the gateway's sockets, not about a single device. Addresses count by {@link AddressBlocks}: an IPv6 host is given
 * a whole /64 and could otherwise open each connection from a new address. An entry goes away when its last
 * connection closes: memory follows the open connections, whatever addresses have been seen. Thread-safe; channels of one address
 * open and close on different event loops.
 */
public final class ConnectionsPerAddress {
    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections allowed per address, at least 1 */
    public ConnectionsPerAddress(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max connections per address must be at least 1, was " + max);
        }
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Counts a new connection from {@code address}; false (and nothing counted) when it already has the maximum. */
    public boolean tryOpen(InetAddress address) {
        boolean[] counted = {false};
        // compute() runs atomically per key, so two connections racing for the last slot cannot both get it.
        open.compute(AddressBlocks.key(address), (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            counted[0] = true;
            return current + 1;
        });
        return counted[0];
    }

    /** Uncounts a connection that {@link #tryOpen} counted; the entry goes when the count reaches zero. */
    public void closed(InetAddress address) {
        open.computeIfPresent(AddressBlocks.key(address), (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Open connections counted for {@code address}: for an IPv6 address, for its /64. */
    public int count(InetAddress address) {
        return open.getOrDefault(AddressBlocks.key(address), 0);
    }

    /** Addresses (IPv6: /64 blocks) with at least one open connection. */
    public int addresses() {
        return open.size();
    }
}
