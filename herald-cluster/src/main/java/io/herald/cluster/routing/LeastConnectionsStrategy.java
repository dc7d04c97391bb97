package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends a device to the least loaded gateway: fewest published connections per unit of weight (with equal
 * weights, simply the fewest connections). Ties, common on a fresh cluster, are broken by the client id's hash
 * over the tied gateways in proportion to their weights, so equally loaded gateways share the logins and a
 * device retrying at once gets the same answer.
 *
 * <p>Counts are as fresh as the gateways' last refresh: during a login burst one gateway stays the least loaded
 * until it publishes again and takes the whole burst. Use it where logins trickle in and connections are long.
 */
public final class LeastConnectionsStrategy implements RoutingStrategy {

    @Override
    public String name() {
        return RoutingStrategies.LEAST_CONNECTIONS;
    }

    @Override
    public Optional<GatewayNode> choose(String clientId, GatewayMembership membership) {
        if (membership.isEmpty()) {
            return Optional.empty();
        }
        List<GatewayNode> leastLoaded = new ArrayList<>();
        for (GatewayNode node : membership.nodes()) {
            int comparison = leastLoaded.isEmpty() ? -1 : compareLoad(node, leastLoaded.get(0));
            if (comparison < 0) {
                leastLoaded.clear();
            }
            if (comparison <= 0) {
                leastLoaded.add(node);
            }
        }
        return Optional.of(WeightedSlots.pick(leastLoaded, Murmur3.hash32(clientId)));
    }

    /** connections(a)/weight(a) against connections(b)/weight(b), cross-multiplied to stay exact. */
    private static int compareLoad(GatewayNode a, GatewayNode b) {
        return Long.compare((long) a.connections() * b.weight(), (long) b.connections() * a.weight());
    }
}
