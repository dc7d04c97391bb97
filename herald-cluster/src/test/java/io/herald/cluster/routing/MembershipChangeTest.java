package io.herald.cluster.routing;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.discovery.TestGateways;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many of 100,000 devices move to another gateway when one joins or leaves 5: the point of consistent
 * hashing, against hash-modulo. Figures logged at INFO.
 */
class MembershipChangeTest {
    private static final Logger log = LoggerFactory.getLogger(MembershipChangeTest.class);

    private final GatewayMembership five = TestGateways.membership(5);
    private final GatewayMembership six = TestGateways.membership(6);

    @Test
    void consistentHashAddingAGatewayMovesAboutASixthAndOnlyToIt() {
        RoutingStrategy strategy = new ConsistentHashStrategy();
        String[] before = Spread.assignments(strategy, five);
        String[] after = Spread.assignments(strategy, six);

        Map<String, Integer> movedTo = moves(before, after);
        double moved = fraction(movedTo);
        log.info("Consistent hash, 5 -> 6 gateways: {} of ids moved (ideal 1/6 = 0.1667), to {}",
                String.format("%.4f", moved), movedTo.keySet());
        assertThat(moved).isBetween(0.10, 0.25);
        assertThat(movedTo.keySet()).containsOnly("gw-6");
    }

    @Test
    void consistentHashRemovingAGatewayMovesOnlyItsIds() {
        RoutingStrategy strategy = new ConsistentHashStrategy();
        String[] before = Spread.assignments(strategy, five);
        String[] after = Spread.assignments(strategy, without(five, "gw-3"));

        int moved = 0;
        Map<String, Integer> receivedBy = new HashMap<>();
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i])) {
                assertThat(before[i]).as("only the removed gateway's ids move").isEqualTo("gw-3");
                receivedBy.merge(after[i], 1, Integer::sum);
                moved++;
            }
        }
        long hadGw3 = Arrays.stream(before).filter("gw-3"::equals).count();
        log.info("Consistent hash, 5 -> 4 gateways: {} of ids moved (exactly the removed gateway's), taken over"
                + " by {}", String.format("%.4f", (double) moved / before.length), receivedBy);
        assertThat(moved).isEqualTo((int) hadGw3);
        assertThat(receivedBy.keySet()).as("spread over the others").hasSize(4);
    }

    @Test
    void hashModuloAddingAGatewayMovesMostIds() {
        RoutingStrategy strategy = new HashModuloStrategy();

        double moved = fraction(moves(Spread.assignments(strategy, five), Spread.assignments(strategy, six)));

        log.info("Hash modulo, 5 -> 6 gateways: {} of ids moved (expected 1 - 1/6 = 0.8333)",
                String.format("%.4f", moved));
        assertThat(moved).isGreaterThan(0.75);
    }

    @Test
    void consistentHashKeepsItsRingWhenOnlyConnectionCountsChange() {
        RoutingStrategy strategy = new ConsistentHashStrategy();
        List<GatewayNode> busier = new ArrayList<>();
        for (GatewayNode node : five.nodes()) {
            busier.add(node.withConnections(1_000));
        }

        String[] before = Spread.assignments(strategy, five);
        String[] after = Spread.assignments(strategy, GatewayMembership.of(busier));

        assertThat(after).containsExactly(before);
        assertThat(strategy.choose("device-1", GatewayMembership.of(busier)).orElseThrow().connections())
                .as("returns the current node data").isEqualTo(1_000);
    }

    @Test
    void reweightingAGatewayRebuildsTheRing() {
        RoutingStrategy strategy = new ConsistentHashStrategy();
        GatewayMembership heavier = GatewayMembership.of(List.of(node("gw-1", 3), node("gw-2")));
        GatewayMembership equal = GatewayMembership.of(List.of(node("gw-1"), node("gw-2")));

        Map<String, Integer> equalCounts = Spread.countsByGateway(strategy, equal);
        Map<String, Integer> heavierCounts = Spread.countsByGateway(strategy, heavier);

        assertThat(heavierCounts.get("gw-1")).isGreaterThan(equalCounts.get("gw-1"));
    }

    private static Map<String, Integer> moves(String[] before, String[] after) {
        Map<String, Integer> movedTo = new HashMap<>();
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i])) {
                movedTo.merge(after[i], 1, Integer::sum);
            }
        }
        return movedTo;
    }

    private static double fraction(Map<String, Integer> moves) {
        return moves.values().stream().mapToInt(Integer::intValue).sum() / (double) Spread.CLIENTS;
    }

    private static GatewayMembership without(GatewayMembership membership, String id) {
        return GatewayMembership.of(membership.nodes().stream().filter(node -> !node.id().equals(id)).toList());
    }
}
