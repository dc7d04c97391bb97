package io.herald.client.internal;

import io.herald.client.ConnectionInfo;
import io.herald.client.HeraldListener;
import io.herald.client.ReceivedMessage;
import java.util.Objects;

/**
 * Shields the client from its listener: an exception thrown by a callback is logged and swallowed, so that
 * application bugs cannot break acknowledgements or reconnects.
 */
public final class SafeListener implements HeraldListener {
    private final HeraldListener delegate;
    private final ClientLogger log;

    public SafeListener(HeraldListener delegate, ClientLogger log) {
        this.delegate = Objects.requireNonNull(delegate, "listener");
        this.log = log.forClass(SafeListener.class);
    }

    @Override
    public void onConnected(ConnectionInfo info) {
        try {
            delegate.onConnected(info);
        } catch (RuntimeException e) {
            log.error("listener onConnected threw", e);
        }
    }

    @Override
    public void onDisconnected(Throwable cause) {
        try {
            delegate.onDisconnected(cause);
        } catch (RuntimeException e) {
            log.error("listener onDisconnected threw", e);
        }
    }

    @Override
    public void onMessage(ReceivedMessage message) {
        try {
            delegate.onMessage(message);
        } catch (RuntimeException e) {
            // Still acknowledged: redelivering a message the application cannot handle would only loop.
            log.error("listener onMessage threw for {}; the message is acknowledged anyway", message, e);
            onError(e);
        }
    }

    @Override
    public void onKicked(String reason) {
        try {
            delegate.onKicked(reason);
        } catch (RuntimeException e) {
            log.error("listener onKicked threw", e);
        }
    }

    @Override
    public void onError(Throwable error) {
        try {
            delegate.onError(error);
        } catch (RuntimeException e) {
            log.error("listener onError threw", e);
        }
    }
}
