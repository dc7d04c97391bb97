package io.herald.cluster.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.discovery.TestGateways;
import io.herald.core.gateway.GatewayAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClusterGatewayLocatorTest {
    private final AtomicReference<GatewayMembership> live = new AtomicReference<>(GatewayMembership.EMPTY);
    private final ClusterGatewayLocator locator = new ClusterGatewayLocator(live::get, new HashModuloStrategy());

    private static GatewayNode gateway(String host, int wsPort, String wsPath) {
        return new GatewayNode("gw-1", host, 7000, wsPort, wsPath, 7100, 1, 0, TestGateways.STARTED_AT);
    }

    @Test
    void noLiveGatewayMeansNoAddress() {
        assertThat(locator.locate("device-1", "api.example")).isEmpty();
    }

    @Test
    void givesTheChosenGatewaysOwnHostAndPorts() {
        live.set(GatewayMembership.of(List.of(gateway("gw1.example", 7001, "/ws"))));

        assertThat(locator.locate("device-1", "api.example"))
                .contains(new GatewayAddress("gw1.example", 7000, "ws://gw1.example:7001/ws"));
    }

    @Test
    void followsTheMembershipAsItChanges() {
        live.set(TestGateways.membership(1));
        assertThat(locator.locate("device-1", "api.example")).isPresent();

        live.set(GatewayMembership.EMPTY);

        assertThat(locator.locate("device-1", "api.example")).isEmpty();
    }

    @Test
    void bracketsIpv6HostsInTheWebSocketUrl() {
        assertThat(ClusterGatewayLocator.addressOf(gateway("2001:db8::7", 7001, "/ws")))
                .isEqualTo(new GatewayAddress("2001:db8::7", 7000, "ws://[2001:db8::7]:7001/ws"));
    }

    @Test
    void aTlsGatewayIsReachedOverWssAndTlsTcp() {
        GatewayNode secure = new GatewayNode("gw-1", "gw1.example", 7000, 7443, "/ws", 7100, 1, 0,
                TestGateways.STARTED_AT, true);

        assertThat(ClusterGatewayLocator.addressOf(secure))
                .isEqualTo(new GatewayAddress("gw1.example", 7000, "wss://gw1.example:7443/ws", true));
    }

    @Test
    void hasNoWebSocketUrlWhenTheGatewayHasNoWebSocketListener() {
        assertThat(ClusterGatewayLocator.addressOf(gateway("10.0.0.9", GatewayNode.NO_WEBSOCKET, null)))
                .isEqualTo(new GatewayAddress("10.0.0.9", 7000, null));
    }
}
