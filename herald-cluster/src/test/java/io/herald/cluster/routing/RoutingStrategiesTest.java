package io.herald.cluster.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.discovery.GatewayMembership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoutingStrategiesTest {

    static Iterable<String> names() {
        return RoutingStrategies.names();
    }

    @Test
    void knowsTheDocumentedNames() {
        assertThat(RoutingStrategies.names())
                .containsExactly("round-robin", "hash", "consistent-hash", "weighted", "least-connections");
        assertThat(RoutingStrategies.byName("consistent-hash")).isInstanceOf(ConsistentHashStrategy.class);
        assertThat(RoutingStrategies.byName(" hash ")).isInstanceOf(HashModuloStrategy.class);
    }

    @ParameterizedTest
    @MethodSource("names")
    void eachStrategyAnswersToItsNameWithAFreshInstance(String name) {
        RoutingStrategy strategy = RoutingStrategies.byName(name);

        assertThat(strategy.name()).isEqualTo(name);
        assertThat(RoutingStrategies.byName(name)).isNotSameAs(strategy);
    }

    @ParameterizedTest
    @MethodSource("names")
    void noGatewayMeansNoAnswer(String name) {
        assertThat(RoutingStrategies.byName(name).choose("device-1", GatewayMembership.EMPTY)).isEmpty();
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> RoutingStrategies.byName("random"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown routing strategy 'random'; valid: round-robin, hash, consistent-hash, weighted,"
                        + " least-connections");
        assertThatThrownBy(() -> RoutingStrategies.byName(null)).hasMessageStartingWith("unknown routing strategy");
    }
}
