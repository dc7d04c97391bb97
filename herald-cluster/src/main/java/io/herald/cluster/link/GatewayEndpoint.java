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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link LinkEndpoint#of}: a gateway's own side of a push and its sessions behind the link. The push part is the
 * same {@link GatewayDelivery} a standalone node's push service calls in process.
 */
final class GatewayEndpoint implements LinkEndpoint {
    private final GatewayDelivery delivery;
    private final SessionDirectory sessions;

    GatewayEndpoint(GatewayDelivery delivery, SessionDirectory sessions) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public CompletableFuture<List<HandedOver>> handOver(List<DevicePush> pushes) {
        return CompletableFuture.completedFuture(delivery.handOver(pushes));
    }

    @Override
    public CompletableFuture<PushResult> broadcast(PushMessage message) {
        return CompletableFuture.completedFuture(
                new PushResult(message.messageId(), delivery.broadcast(message), 0, 0));
    }

    @Override
    public boolean kick(String clientId, String reason) {
        return sessions.kick(clientId, reason);
    }

    @Override
    public Optional<SessionInfo> find(String clientId) {
        return sessions.find(clientId);
    }

    @Override
    public int onlineCount() {
        return sessions.onlineCount();
    }

    @Override
    public void storeChanged(Collection<String> clientIds) {
        delivery.storeChanged(clientIds);
    }
}
