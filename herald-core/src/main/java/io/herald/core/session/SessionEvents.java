package io.herald.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a gateway tells the rest of the system about its sessions. Standalone needs nothing ({@link #NONE}); a
 * cluster gateway publishes each session's location so pushes from any API node find it.
 *
 * <p>Every method is called on a Netty event loop (or a store's completion thread) and must not block.
 */
public interface SessionEvents {

    /** Tells nobody: one node is the whole system. */
    SessionEvents NONE = new SessionEvents() {
        @Override
        public CompletionStage<Void> connected(String clientId, String sessionId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void disconnected(String clientId, String sessionId) {
        }
    };

    /**
     * A device authenticated as {@code sessionId} on this gateway. The gateway starts delivering to it (and reads
     * its offline messages) only once the returned stage completed, so a message stored for it by another node
     * that still saw it offline is read, not missed. The stage should complete normally even when publishing
     * failed (after logging it): the device is connected either way.
     */
    CompletionStage<Void> connected(String clientId, String sessionId);

    /** The session ended (closed, kicked or taken over). */
    void disconnected(String clientId, String sessionId);

    /**
     * Whether the device has a session at another node now (a delayed MQTT will is dropped when the device came back
     * anywhere). Standalone has no other node: false. Completes normally, false when the answer cannot be had.
     */
    default CompletionStage<Boolean> connectedElsewhere(String clientId) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * A session of the device on this node ended leaving messages in the store that a newer session elsewhere may
     * not have read: messages it held stored and unacked, or stored on its way out, or a push that reached it
     * after it closed. Sessions overlap across nodes (the old connection closes after the new one has read the
     * store, when its node learns of the takeover late or a push was routed by a session map read just before the
     * new session was published), so the node holding the device now is told to read its store again. Best
     * effort: when the notice is lost the messages wait for the device's next connect. A newer session on this
     * node is the gateway's own business; standalone has no other node.
     */
    default void storedAfterSession(String clientId) {
    }
}
