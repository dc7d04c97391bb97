package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.StoredPushService;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a gateway does for the API nodes over the internal link; the link server calls it once per request, on the
 * link's event loop, so no method may block (hand blocking work to an executor and complete the future from there).
 * A method that throws, or whose future fails, answers that request with an error; the link stays up.
 */
public interface LinkEndpoint {

    /** Pushes to those of the client ids connected here; the others are handled as offline by this gateway. */
    CompletableFuture<PushResult> push(PushMessage message, List<String> clientIds);

    /**
     * Hands a QoS 1 message the API node has already stored for every one of the ids to those connected here (they
     * delete it from the store when they ack it); the others count as stored. Writes nothing to the store.
     */
    CompletableFuture<PushResult> pushStored(PushMessage message, List<String> clientIds);

    /** Pushes to every device connected here. */
    CompletableFuture<PushResult> broadcast(PushMessage message);

    /** Kicks the client's connection here; false when it is not connected here. */
    boolean kick(String clientId, String reason);

    /** The client's connection here, if it has one. */
    Optional<SessionInfo> find(String clientId);

    /** Devices connected here right now. */
    int onlineCount();

    /** Messages were stored for these clients behind their sessions' backs: those connected here read the store. */
    void storeChanged(Collection<String> clientIds);

    /**
     * The endpoint of a gateway, made of its local push services, its session directory and its "re-read the
     * store" hook (in herald-gateway: {@code Gateway.pushService()}, {@code Gateway.storedPushService()},
     * {@code Gateway.sessions()} and {@code SessionManager::storeChanged}).
     */
    static LinkEndpoint of(PushService pushService, StoredPushService storedPushService, SessionDirectory sessions,
                           Consumer<String> storeChanged) {
        return new GatewayEndpoint(pushService, storedPushService, sessions, storeChanged);
    }
}
