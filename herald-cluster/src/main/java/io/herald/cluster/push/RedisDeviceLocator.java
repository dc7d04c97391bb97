package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.core.push.DeviceLocator;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where devices are, for an API node: one pipelined lookup (MGETs) in the session registry, grouped by the live
 * gateway holding each session ({@link Routing}). A session on a gateway that has left the membership is nowhere:
 * nobody would deliver to it. Completes on a Lettuce thread.
 */
public final class RedisDeviceLocator implements DeviceLocator<GatewayNode> {
    private final Supplier<GatewayMembership> membership;
    private final RedisSessionRegistry sessions;

    public RedisDeviceLocator(Supplier<GatewayMembership> membership, RedisSessionRegistry sessions) {
        this.membership = Objects.requireNonNull(membership, "membership");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public CompletableFuture<Map<GatewayNode, List<String>>> locate(Collection<String> clientIds) {
        return sessions.lookup(clientIds)
                .thenApply(locations -> Routing.of(clientIds, locations, membership.get()).batches());
    }
}
