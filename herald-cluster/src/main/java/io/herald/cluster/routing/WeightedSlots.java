package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayNode;
import java.util.List;

/** Maps a hash onto nodes in proportion to their weights: node i owns {@code weight(i)} consecutive slots. */
final class WeightedSlots {

    private WeightedSlots() {
    }

    /** @param nodes not empty */
    static GatewayNode pick(List<GatewayNode> nodes, int hash) {
        int totalWeight = 0;
        for (GatewayNode node : nodes) {
            totalWeight += node.weight();
        }
        // floorMod, not abs(hash) % n: abs(Integer.MIN_VALUE) is negative.
        int slot = Math.floorMod(hash, totalWeight);
        for (GatewayNode node : nodes) {
            slot -= node.weight();
            if (slot < 0) {
                return node;
            }
        }
        throw new AssertionError("slot beyond the total weight");
    }
}
