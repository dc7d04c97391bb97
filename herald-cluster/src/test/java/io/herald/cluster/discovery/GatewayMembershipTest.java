package io.herald.cluster.discovery;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayMembershipTest {

    @Test
    void sortsByIdSoEveryApiNodeSeesTheSameOrder() {
        GatewayMembership membership = GatewayMembership.of(List.of(node("gw-c"), node("gw-a"), node("gw-b")));

        assertThat(membership.nodes()).extracting(GatewayNode::id).containsExactly("gw-a", "gw-b", "gw-c");
        assertThat(membership.find("gw-b")).contains(node("gw-b"));
        assertThat(membership.find("gw-x")).isEmpty();
    }

    @Test
    void rejectsDuplicateIds() {
        assertThatThrownBy(() -> GatewayMembership.of(List.of(node("gw-a"), node("gw-a", 2))))
                .hasMessage("gateway id gw-a appears twice");
    }

    @Test
    void topologyIsIdsAndWeightsOnly() {
        GatewayMembership base = GatewayMembership.of(List.of(node("gw-a"), node("gw-b")));
        GatewayMembership busier = GatewayMembership.of(List.of(node("gw-a").withConnections(10), node("gw-b")));
        GatewayMembership reweighted = GatewayMembership.of(List.of(node("gw-a", 2), node("gw-b")));
        GatewayMembership grown = GatewayMembership.of(List.of(node("gw-a"), node("gw-b"), node("gw-c")));

        assertThat(base.sameTopologyAs(busier)).isTrue();
        assertThat(base).isNotEqualTo(busier);
        assertThat(base.sameTopologyAs(reweighted)).isFalse();
        assertThat(base.sameTopologyAs(grown)).isFalse();
        assertThat(GatewayMembership.of(List.of())).isSameAs(GatewayMembership.EMPTY);
    }
}
