package io.herald.client.internal;

import io.herald.client.AuthenticationFailedException;
import io.herald.protocol.ErrorCode;
import java.time.Duration;

/**
 * Decides when to try again and whether to log in first: backoff between attempts, and a fresh login (new
 * token, maybe another gateway) after every {@code reloginAfterFailures} consecutive failed attempts or when
 * the gateway refused the token. Event-loop confined.
 */
public final class ReconnectPolicy {
    private final Backoff backoff;
    private final int reloginAfterFailures;
    private int consecutiveFailures;
    private boolean reloginNeeded;

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
        if (consecutiveFailures % reloginAfterFailures == 0) {
            // Maybe the gateway is gone for good: a fresh login may assign another one.
            reloginNeeded = true;
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
        backoff.reset();
    }

    /** The next attempt must log in first (e.g. the gateway asked the client to move). */
    public void requireRelogin() {
        reloginNeeded = true;
    }

    public void loggedIn() {
        reloginNeeded = false;
    }

    public boolean reloginNeeded() {
        return reloginNeeded;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }
}
