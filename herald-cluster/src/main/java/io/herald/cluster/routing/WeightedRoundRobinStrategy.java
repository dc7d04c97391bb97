package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.List;
import java.util.Optional;

/**
 * Smooth weighted round-robin, as in nginx: over every {@code totalWeight} logins each gateway gets exactly its
 * weight, interleaved rather than in bursts (weights 5, 1, 1 give a a b a c a a, not a a a a a b c). Ignores the
 * client id. The running weights restart when the ids or weights change.
 */
public final class WeightedRoundRobinStrategy implements RoutingStrategy {
    private SmoothWeights state; // guarded by this

    @Override
    public String name() {
        return RoutingStrategies.WEIGHTED;
    }

    @Override
    public Optional<GatewayNode> choose(String clientId, GatewayMembership membership) {
        if (membership.isEmpty()) {
            return Optional.empty();
        }
        int index;
        synchronized (this) {
            if (state == null || !state.builtFrom.sameTopologyAs(membership)) {
                state = new SmoothWeights(membership);
            }
            index = state.next();
        }
        return Optional.of(membership.nodes().get(index));
    }

    /** The per-gateway running weights of the nginx algorithm, for one topology. */
    private static final class SmoothWeights {
        final GatewayMembership builtFrom;
        private final int[] weights;
        private final int[] current;
        private final int totalWeight;

        SmoothWeights(GatewayMembership membership) {
            List<GatewayNode> nodes = membership.nodes();
            this.builtFrom = membership;
            this.weights = nodes.stream().mapToInt(GatewayNode::weight).toArray();
            this.current = new int[weights.length];
            this.totalWeight = nodes.stream().mapToInt(GatewayNode::weight).sum();
        }

        /** Every gateway gains its weight; the one now highest is chosen and pays back the total. */
        int next() {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= totalWeight;
            return best;
        }
    }
}
