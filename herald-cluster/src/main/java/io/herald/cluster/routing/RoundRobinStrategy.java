package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each login goes to the next gateway in id order, ignoring weights and the client id. The most even spread of
 * logins on one API node; several API nodes each cycle on their own, so the cluster-wide spread is even only on
 * average. A device may land on a different gateway at every login.
 */
public final class RoundRobinStrategy implements RoutingStrategy {
    /** A long never wraps in practice, so the cycle never skips or repeats a gateway at the wrap-around. */
    private final AtomicLong next = new AtomicLong();

    @Override
    public String name() {
        return RoutingStrategies.ROUND_ROBIN;
    }

    @Override
    public Optional<GatewayNode> choose(String clientId, GatewayMembership membership) {
        List<GatewayNode> nodes = membership.nodes();
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(nodes.get((int) Math.floorMod(next.getAndIncrement(), (long) nodes.size())));
    }
}
