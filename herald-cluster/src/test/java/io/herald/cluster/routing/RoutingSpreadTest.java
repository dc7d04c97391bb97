package io.herald.cluster.routing;

import static io.herald.cluster.discovery.TestGateways.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.discovery.TestGateways;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How evenly 100,000 client ids spread over 5 gateways, and whether weights are honoured. Figures logged at INFO. */
class RoutingSpreadTest {
    private static final Logger log = LoggerFactory.getLogger(RoutingSpreadTest.class);

    @ParameterizedTest(name = "{0}: max/mean <= {1}")
    @CsvSource({
        "round-robin,       1.01",
        "weighted,          1.01",
        "hash,              1.05",
        "consistent-hash,   1.10",
        "least-connections, 1.05",
    })
    void spreadsEvenlyOverEqualGateways(String name, double maxOverMeanBound) {
        Map<String, Integer> counts = Spread.countsByGateway(RoutingStrategies.byName(name),
                TestGateways.membership(5));

        double ratio = Spread.maxOverMean(counts);
        log.info("Spread of {} ids over 5 equal gateways, {}: max/mean {} {}", Spread.CLIENTS, name,
                String.format("%.4f", ratio), counts);
        assertThat(ratio).isLessThanOrEqualTo(maxOverMeanBound);
    }

    /**
     * The spread of consistent hashing depends on where the gateway ids happen to land, so it is measured over
     * many sets of 5 ids, for the Ketama figure of 160 virtual nodes and for the default.
     */
    @ParameterizedTest(name = "{0} points per weight: mean max/mean <= {1}, worst <= {2}")
    @CsvSource({
        "160, 1.12, 1.25",
        "500, 1.07, 1.12",
    })
    void consistentHashSpreadOverManyGatewayIdSets(int pointsPerWeight, double meanBound, double worstBound) {
        int sets = 20;
        double sum = 0;
        double worst = 0;
        for (int set = 0; set < sets; set++) {
            List<GatewayNode> nodes = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                nodes.add(node("gw" + set + "-" + i));
            }
            double ratio = Spread.maxOverMean(Spread.countsByGateway(new ConsistentHashStrategy(pointsPerWeight),
                    GatewayMembership.of(nodes)));
            sum += ratio;
            worst = Math.max(worst, ratio);
        }
        log.info("Consistent hash, {} points per weight, {} sets of 5 gateway ids: max/mean {} on average,"
                + " {} at worst", pointsPerWeight, sets, String.format("%.4f", sum / sets),
                String.format("%.4f", worst));
        assertThat(sum / sets).isLessThanOrEqualTo(meanBound);
        assertThat(worst).isLessThanOrEqualTo(worstBound);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"weighted", "hash", "consistent-hash", "least-connections"})
    void aWeightTwoGatewayGetsTwiceAsMany(String name) {
        GatewayMembership membership = GatewayMembership.of(List.of(node("gw-1", 2), node("gw-2"), node("gw-3"),
                node("gw-4"), node("gw-5")));

        Map<String, Integer> counts = Spread.countsByGateway(RoutingStrategies.byName(name), membership);

        double weightOneMean = (counts.get("gw-2") + counts.get("gw-3") + counts.get("gw-4") + counts.get("gw-5"))
                / 4.0;
        double ratio = counts.get("gw-1") / weightOneMean;
        log.info("Weight 2 against weight 1, {}: {} times as many ids {}", name, String.format("%.3f", ratio),
                counts);
        assertThat(ratio).isBetween(1.8, 2.2);
    }
}
