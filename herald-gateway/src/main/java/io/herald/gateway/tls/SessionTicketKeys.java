package io.herald.gateway.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The keys that seal the gateway's TLS session tickets, so a device that reconnects resumes its session (no
 * certificate signature, a shorter handshake) instead of a full handshake. A new key seals tickets every
 * {@code rotation}; the one before it still opens the tickets it sealed for one more period, and older keys are
 * gone, so no ticket outlives two periods and a stolen key opens at most two periods' worth of tickets. Tickets say
 * they live one period ({@link #ticketLifetime}), which the previous key always covers.
 *
 * <p>The keys are made in memory, per process, from {@link SecureRandom}, and never written anywhere: after a
 * restart every device does one full handshake. Each gateway of a cluster has its own keys; a device reconnects to
 * the gateway it was told to use, which is usually the one it left, and a ticket from another gateway only costs a
 * full handshake. Rotation happens on the connection path ({@link #rotateIfDue}): one clock read per connection,
 * no timer thread.
 */
final class SessionTicketKeys {
    private final OpenSslSessionContext sessions;
    private final long rotationNanos;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private OpenSslSessionTicketKey current;
    private volatile long nextRotationNanos;

    SessionTicketKeys(OpenSslSessionContext sessions, Duration rotation, LongSupplier nanoClock) {
        if (rotation.isNegative() || rotation.isZero()) {
            throw new IllegalArgumentException("the ticket key rotation must be positive, was " + rotation);
        }
        this.sessions = sessions;
        this.rotationNanos = rotation.toNanos();
        this.nanoClock = nanoClock;
        sessions.setSessionTimeout((int) Math.max(1, rotation.toSeconds()));
        rotate(nanoClock.getAsLong());
    }

    /** How long a ticket says it may be used: one rotation period. */
    Duration ticketLifetime() {
        return Duration.ofNanos(rotationNanos);
    }

    /** Seals new tickets with a fresh key when the current one has served its period. */
    void rotateIfDue() {
        long now = nanoClock.getAsLong();
        if (now - nextRotationNanos >= 0) {
            synchronized (this) {
                if (now - nextRotationNanos >= 0) {
                    rotate(now);
                }
            }
        }
    }

    private void rotate(long now) {
        OpenSslSessionTicketKey fresh = newKey();
        // The first key seals new tickets; every key listed still opens the tickets it sealed.
        if (current == null) {
            sessions.setTicketKeys(fresh);
        } else {
            sessions.setTicketKeys(fresh, current);
        }
        current = fresh;
        nextRotationNanos = now + rotationNanos;
    }

    private OpenSslSessionTicketKey newKey() {
        byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
        byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
        random.nextBytes(name);
        random.nextBytes(hmac);
        random.nextBytes(aes);
        return new OpenSslSessionTicketKey(name, hmac, aes);
    }
}
