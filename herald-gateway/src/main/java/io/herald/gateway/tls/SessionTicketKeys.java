package io.herald.gateway.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The keys that seal the gateway's TLS session tickets, so a device that reconnects resumes its session (no
 * certificate signature, a shorter handshake) instead of a full handshake. Time is cut into periods of
 * {@code rotation} (counted from the epoch, so every gateway cuts it the same way) and each period has its own key,
 * derived from the {@link TicketSecret}: the current period's key seals new tickets; the previous period's key still
 * opens the tickets it sealed, and the next period's key opens those of a gateway whose clock is already there. Keys
 * of other periods are not loaded, so a ticket opens during two periods at most and a key taken from a running
 * gateway opens at most its own period's tickets (plus what it seals until the process notices the period is over).
 * Tickets say they live one period ({@link #ticketLifetime}), which the previous key always covers.
 *
 * <p>The keys come from the secret and the period alone, so they survive a restart (a standalone node keeps its
 * secret in its data directory) and every gateway of a cluster has the same ones (derived from the cluster secret): a
 * device resumes on a restarted node and on another gateway alike. Rotation happens on the connection path
 * ({@link #rotateIfDue}): one clock read per connection, no timer thread.
 */
final class SessionTicketKeys {
    private final OpenSslSessionContext sessions;
    private final TicketSecret secret;
    private final long rotationMillis;
    private final LongSupplier epochMillis;
    private volatile long period;

    SessionTicketKeys(OpenSslSessionContext sessions, TicketSecret secret, Duration rotation,
                      LongSupplier epochMillis) {
        if (rotation.toMillis() < 1000) {
            throw new IllegalArgumentException("the ticket key rotation must be at least a second, was " + rotation);
        }
        this.sessions = sessions;
        this.secret = secret;
        this.rotationMillis = rotation.toMillis();
        this.epochMillis = epochMillis;
        sessions.setSessionTimeout((int) rotation.toSeconds());
        period = periodAt(epochMillis.getAsLong());
        load(period);
    }

    /** How long a ticket says it may be used: one rotation period. */
    Duration ticketLifetime() {
        return Duration.ofMillis(rotationMillis);
    }

    /** Seals new tickets with the next period's key once the current period is over. */
    void rotateIfDue() {
        long now = periodAt(epochMillis.getAsLong());
        if (now != period) {
            synchronized (this) {
                if (now != period) {
                    load(now);
                    period = now;
                }
            }
        }
    }

    private long periodAt(long millis) {
        return Math.floorDiv(millis, rotationMillis);
    }

    private void load(long current) {
        // The first key seals new tickets; every key listed opens the tickets it sealed.
        sessions.setTicketKeys(secret.keyFor(current), secret.keyFor(current - 1), secret.keyFor(current + 1));
    }
}
