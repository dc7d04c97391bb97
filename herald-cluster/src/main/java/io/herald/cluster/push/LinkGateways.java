package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.Gateways;
import io.herald.core.push.HandedOver;
import io.herald.core.push.PushResult;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The gateways of the cluster as an API node reaches them: over the internal link to each, one HAND_OVER request
 * (or a few, for a long batch) per gateway and push. Futures complete on the links' event loops.
 */
public final class LinkGateways implements Gateways<GatewayNode> {
    private final Supplier<GatewayMembership> membership;
    private final GatewayLinks links;

    public LinkGateways(Supplier<GatewayMembership> membership, GatewayLinks links) {
        this.membership = Objects.requireNonNull(membership, "membership");
        this.links = Objects.requireNonNull(links, "links");
    }

    @Override
    public CompletableFuture<List<HandedOver>> handOver(GatewayNode gateway, List<DevicePush> pushes) {
        return links.link(gateway).handOver(pushes);
    }

    @Override
    public CompletableFuture<Void> storeChanged(GatewayNode gateway, Collection<String> clientIds) {
        return links.link(gateway).storeChanged(clientIds);
    }

    @Override
    public Collection<GatewayNode> all() {
        return membership.get().nodes();
    }

    @Override
    public CompletableFuture<Integer> broadcast(GatewayNode gateway, PushMessage message) {
        return links.link(gateway).broadcast(message).thenApply(PushResult::online);
    }
}
