package io.herald.cluster.discovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Gateway nodes for tests. */
public final class TestGateways {
    public static final Instant STARTED_AT = Instant.parse("2025-01-01T12:00:00Z");

    private TestGateways() {
    }

    public static GatewayNode node(String id) {
        return node(id, 1);
    }

    public static GatewayNode node(String id, int weight) {
        return new GatewayNode(id, "10.0.0.1", 7000, 7001, "/ws", 7100, weight, 0, STARTED_AT);
    }

    /** {@code gw-1} … {@code gw-<count>}, weight 1. */
    public static GatewayMembership membership(int count) {
        List<GatewayNode> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(node("gw-" + i));
        }
        return GatewayMembership.of(nodes);
    }
}
