package io.herald.gateway.session;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Session ids, unique per gateway node across its transports and across its restarts:
 * {@code <gatewayId>-<start>-<n>}, where {@code start} is random per start of the node (about 41 bits, base 36) and
 * {@code n} counts every connection of this start, TCP and WebSocket alike. In a cluster the session registry removes
 * a session only while it still holds the same node id and session id (compare-and-delete), so an id given twice
 * would let the late close of one connection remove another's session. Contains no {@code |}, which the registry's
 * stored form reserves.
 */
public final class SessionIds {
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    public SessionIds(String gatewayId) {
        this(gatewayId, new SecureRandom());
    }

    SessionIds(String gatewayId, Random random) {
        this.prefix = gatewayId + "-" + Long.toString(random.nextLong() >>> 23, 36) + "-";
    }

    public String next() {
        return format(nextNumber());
    }

    /**
     * The next connection's number: a session keeps this long (8 bytes) rather than its id string (about 60 bytes at
     * tens of thousands of connections) and asks {@link #format} for the id when it needs it, which is rare (connect,
     * close, kicks and log lines).
     */
    public long nextNumber() {
        return sequence.incrementAndGet();
    }

    /** The session id of connection {@code number} of this start. */
    public String format(long number) {
        return prefix + Long.toString(number, 36);
    }
}
