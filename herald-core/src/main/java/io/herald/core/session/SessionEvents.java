package io.herald.core.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a gateway tells the rest of the system about its sessions. Standalone needs nothing ({@link #NONE}); a
 * cluster gateway publishes each session's location so pushes from any API node find it.
 *
 * <p>Both methods are called on a Netty event loop and must not block.
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
}
