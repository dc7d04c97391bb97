package io.herald.cluster.routing;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeastConnectionsStrategyTest {
    private final RoutingStrategy strategy = new LeastConnectionsStrategy();

    private String choose(String clientId, GatewayMembership membership) {
        return strategy.choose(clientId, membership).map(GatewayNode::id).orElseThrow();
    }

    @Test
    void picksTheGatewayWithTheFewestConnections() {
        GatewayMembership membership = GatewayMembership.of(List.of(node("gw-1").withConnections(120),
                node("gw-2").withConnections(80), node("gw-3").withConnections(95)));

        for (int i = 0; i < 100; i++) {
            assertThat(choose("device-" + i, membership)).isEqualTo("gw-2");
        }
    }

    @Test
    void measuresLoadPerUnitOfWeight() {
        GatewayMembership membership = GatewayMembership.of(List.of(node("big", 2).withConnections(150),
                node("small").withConnections(80)));

        assertThat(choose("device-1", membership)).as("75 per unit of weight beats 80").isEqualTo("big");
    }

    @Test
    void sharesTiesByClientIdAmongTheLeastLoadedOnly() {
        GatewayMembership membership = GatewayMembership.of(List.of(node("gw-1").withConnections(10),
                node("gw-2").withConnections(10), node("gw-3").withConnections(11)));

        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            chosen.add(choose("device-" + i, membership));
        }

        assertThat(chosen).containsExactlyInAnyOrder("gw-1", "gw-2");
        assertThat(choose("device-7", membership)).as("deterministic").isEqualTo(choose("device-7", membership));
    }
}
