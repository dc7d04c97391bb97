package io.herald.client.internal;

import io.herald.client.AuthenticationFailedException;
import io.herald.client.ServerErrorException;
import io.herald.protocol.ErrorCode;
import java.time.Duration;

/**
 * Decides when to try again and whether to log in first: backoff between attempts, a fresh login (new token) when
 * the gateway refused the token or was full, and, after every {@code reloginAfterFailures} consecutive failed attempts, asking
 * the API for a gateway (a login) if the gateway cannot be reached even then ({@link #gatewaySuspect}). A kept token
 * is tried on its gateway first: a node that restarted accepts it (signed tokens survive a restart), so a fleet
 * coming back costs the API nothing; only a gateway that is really gone sends its devices to the API. Event-loop
 * confined.
 */
public final class ReconnectPolicy {
    private final Backoff backoff;
    private final int reloginAfterFailures;
    private int consecutiveFailures;
    private boolean reloginNeeded;
    private boolean gatewaySuspect;

    public ReconnectPolicy(Backoff backoff, int reloginAfterFailures) {
        if (reloginAfterFailures < 1) {
            throw new IllegalArgumentException("reloginAfterFailures must be at least 1, was " + reloginAfterFailures);
        }
        this.backoff = backoff;
        this.reloginAfterFailures = reloginAfterFailures;
    }

    /** An attempt failed: counts it, decides whether the next one logs in first, and returns its delay. */
    public Duration attemptFailed(Throwable cause) {
        consecutiveFailures++;
        if (cause instanceof AuthenticationFailedException auth && auth.code() == ErrorCode.INVALID_TOKEN) {
            reloginNeeded = true;
        }
        if (cause instanceof ServerErrorException error && error.code() == ErrorCode.GATEWAY_FULL) {
            // The token is good, the gateway has no room: a login is how a device is given another gateway.
            reloginNeeded = true;
        }
        if (consecutiveFailures % reloginAfterFailures == 0) {
            // Maybe the gateway is gone for good: if it cannot be reached once more, a login may assign another one.
            gatewaySuspect = true;
        }
        return backoff.nextDelay();
    }

    /**
     * An authenticated connection was lost: the delay before reconnecting. Not a failure yet, but still
     * jittered, so that a fleet dropped by one gateway does not come back at the same instant.
     */
    public Duration connectionLost() {
        return backoff.nextDelay();
    }

    /** The gateway accepted a connection: failures and backoff start over. */
    public void connected() {
        consecutiveFailures = 0;
        gatewaySuspect = false;
        backoff.reset();
    }

    /** The next attempt must log in first (e.g. the gateway asked the client to move). */
    public void requireRelogin() {
        reloginNeeded = true;
    }

    /** The gateway told the client to reconnect: it may be going away, so the next failure to reach it logs in. */
    public void suspectGateway() {
        gatewaySuspect = true;
    }

    /** A login asked because the gateway was unreachable could not reach the API either: keep the token. */
    public void keepToken() {
        reloginNeeded = false;
    }

    public void loggedIn() {
        reloginNeeded = false;
        gatewaySuspect = false;
    }

    /**
     * Whether the gateway failed {@code reloginAfterFailures} attempts in a row since the last login: if it cannot be
     * reached with the kept token once more, ask the API (log in) at once rather than wait for another attempt.
     */
    public boolean gatewaySuspect() {
        return gatewaySuspect;
    }

    public boolean reloginNeeded() {
        return reloginNeeded;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }
}
