package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.HashMap;
import java.util.Map;

/** Routes a population of client ids and measures where they went. */
final class Spread {
    static final int CLIENTS = 100_000;

    private Spread() {
    }

    static String clientId(int i) {
        return "device-" + i;
    }

    /** Gateway id → how many of {@link #CLIENTS} ids it got. */
    static Map<String, Integer> countsByGateway(RoutingStrategy strategy, GatewayMembership membership) {
        Map<String, Integer> counts = new HashMap<>();
        for (GatewayNode node : membership.nodes()) {
            counts.put(node.id(), 0);
        }
        for (int i = 0; i < CLIENTS; i++) {
            counts.merge(strategy.choose(clientId(i), membership).orElseThrow().id(), 1, Integer::sum);
        }
        return counts;
    }

    /** The busiest gateway's count over the mean count: 1.0 is a perfect spread. */
    static double maxOverMean(Map<String, Integer> counts) {
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        double mean = counts.values().stream().mapToInt(Integer::intValue).average().orElseThrow();
        return max / mean;
    }

    /** Client id index → chosen gateway id, for comparing two memberships. */
    static String[] assignments(RoutingStrategy strategy, GatewayMembership membership) {
        String[] chosen = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            chosen[i] = strategy.choose(clientId(i), membership).orElseThrow().id();
        }
        return chosen;
    }
}
