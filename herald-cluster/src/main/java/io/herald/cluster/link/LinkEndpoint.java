package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.GatewayDelivery;
import io.herald.core.push.HandedOver;
import io.herald.core.push.PushResult;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a gateway does for the API nodes over the internal link; the link server calls it once per request, on the
 * link's event loop, so no method may block (hand blocking work to an executor and complete the future from there).
 * A method that throws, or whose future fails, answers that request with an error; the link stays up.
 */
public interface LinkEndpoint {

    /**
     * Hands each message to those of its client ids connected here, in order; QoS 1 messages were stored by the API
     * node for every id, so nothing is written here. One answer per push: how many were connected, and which not.
     */
    CompletableFuture<List<HandedOver>> handOver(List<DevicePush> pushes);

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
     * The endpoint of a gateway, made of its side of a push and its session directory (in herald-gateway:
     * {@code Gateway.delivery()} and {@code Gateway.sessions()}).
     */
    static LinkEndpoint of(GatewayDelivery delivery, SessionDirectory sessions) {
        return new GatewayEndpoint(delivery, sessions);
    }
}
