package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.Optional;

/**
 * A device always goes to the same gateway while the membership is unchanged: murmur3 of the client id, modulo
 * the total weight, mapped onto the gateways in id order in proportion to their weights. Stateless and cheap; the
 * price is that any membership change moves most devices (about {@code 1 - 1/N} of them), so a gateway joining
 * or leaving reshuffles the fleet. Prefer {@link ConsistentHashStrategy} when stickiness across changes matters.
 */
public final class HashModuloStrategy implements RoutingStrategy {

    @Override
    public String name() {
        return RoutingStrategies.HASH;
    }

    @Override
    public Optional<GatewayNode> choose(String clientId, GatewayMembership membership) {
        if (membership.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(WeightedSlots.pick(membership.nodes(), Murmur3.hash32(clientId)));
    }
}
