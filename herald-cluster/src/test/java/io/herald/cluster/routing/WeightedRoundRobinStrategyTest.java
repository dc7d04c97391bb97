package io.herald.cluster.routing;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinStrategyTest {
    private final RoutingStrategy strategy = new WeightedRoundRobinStrategy();

    private List<String> next(int count, GatewayMembership membership) {
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(strategy.choose("any", membership).map(GatewayNode::id).orElseThrow());
        }
        return chosen;
    }

    @Test
    void interleavesLikeNginx() {
        GatewayMembership membership = GatewayMembership.of(List.of(node("a", 5), node("b"), node("c")));

        assertThat(next(7, membership)).containsExactly("a", "a", "b", "a", "c", "a", "a");
        assertThat(next(7, membership)).as("the cycle repeats").containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void startsAFreshCycleWhenTheTopologyChanges() {
        GatewayMembership two = GatewayMembership.of(List.of(node("a", 2), node("b")));
        GatewayMembership three = GatewayMembership.of(List.of(node("a", 2), node("b"), node("c")));

        next(1, two);

        assertThat(next(4, three)).containsExactly("a", "b", "c", "a");
        assertThat(next(3, GatewayMembership.of(List.of(node("a", 2).withConnections(9), node("b"), node("c")))))
                .as("a connection count change keeps the cycle going").containsExactly("a", "b", "c");
    }
}
