package io.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.bench.server.ServerProbe;
import org.junit.jupiter.api.Test;

/** Whose memory {@code bench hold} may divide by the fleet: only that of a process holding the devices. */
class HoldScenarioTest {

    @Test
    void aServerHoldingTheFleetIsMeasured() {
        assertThat(HoldScenario.holdsTheFleet(probeWith(10_000), 10_000)).isTrue();
        assertThat(HoldScenario.holdsTheFleet(probeWith(9_500), 10_000)).as("a few still settling").isTrue();
    }

    @Test
    void aClustersApiNodeHoldingNoneIsNot() {
        assertThat(HoldScenario.holdsTheFleet(probeWith(0), 18_000)).isFalse();
        assertThat(HoldScenario.holdsTheFleet(probeWith(6_000), 18_000)).as("one gateway of three").isFalse();
        assertThat(HoldScenario.holdsTheFleet(probeWith(0), 0)).as("nothing connected").isFalse();
    }

    private static ServerProbe probeWith(double connections) {
        return new ServerProbe(100e6, 1e6, -1, -1, connections);
    }
}
