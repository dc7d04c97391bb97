package io.herald.cluster.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.discovery.TestGateways;
import io.herald.core.gateway.GatewayAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    void aFullGatewayGetsNoLoginsItsDevicesGoToTheirNextGatewayAndComeBackWhenItHasRoom() {
        ClusterGatewayLocator hashing = new ClusterGatewayLocator(live::get, new ConsistentHashStrategy());
        List<GatewayNode> nodes = List.of(withCapacity("gw-a", 0, 10), withCapacity("gw-b", 0, 10),
                withCapacity("gw-c", 0, 10));
        live.set(GatewayMembership.of(nodes));
        Map<String, Integer> before = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            before.put("device-" + i, hashing.locate("device-" + i, "api").orElseThrow().tcpPort());
        }

        live.set(GatewayMembership.of(List.of(nodes.get(0), withCapacity("gw-b", 10, 10), nodes.get(2))));
        int moved = 0;
        for (Map.Entry<String, Integer> device : before.entrySet()) {
            int now = hashing.locate(device.getKey(), "api").orElseThrow().tcpPort();
            assertThat(now).isNotEqualTo(7002); // gw-b is full
            if (device.getValue() != 7002) {
                assertThat(now).as("a device of a gateway with room stays").isEqualTo(device.getValue());
            } else {
                moved++;
            }
        }
        assertThat(moved).isBetween(700, 1_300);

        live.set(GatewayMembership.of(nodes));
        before.forEach((id, port) -> assertThat(hashing.locate(id, "api")).map(GatewayAddress::tcpPort)
                .contains(port));
    }

    @Test
    void whenEveryGatewayIsFullThereIsNoAddressButOneWithoutCapacityIsNeverFull() {
        live.set(GatewayMembership.of(List.of(withCapacity("gw-a", 10, 10), withCapacity("gw-b", 12, 10))));
        assertThat(locator.locate("device-1", "api")).isEmpty();

        live.set(GatewayMembership.of(List.of(withCapacity("gw-a", 10, 10),
                withCapacity("gw-b", 50_000, GatewayNode.NO_CAPACITY))));
        assertThat(locator.locate("device-1", "api")).map(GatewayAddress::tcpPort).contains(7002);
    }

    @Test
    void fallbacksAreTheOtherGatewaysWithRoomInAnOrderOfTheDevicesOwn() {
        live.set(GatewayMembership.of(List.of(withCapacity("gw-a", 0, 10), withCapacity("gw-b", 0, 10),
                withCapacity("gw-c", 10, 10), withCapacity("gw-d", 0, 10))));
        GatewayAddress chosen = locator.locate("device-1", "api").orElseThrow();

        List<GatewayAddress> fallbacks = locator.fallbacks("device-1", chosen, 2);

        assertThat(fallbacks).hasSize(2).doesNotContain(chosen).doesNotHaveDuplicates()
                .extracting(GatewayAddress::tcpPort).doesNotContain(7003); // gw-c is full
        assertThat(locator.fallbacks("device-1", chosen, 2)).as("the same order every time").isEqualTo(fallbacks);
        assertThat(locator.fallbacks("device-1", chosen, 5)).hasSize(2).startsWith(fallbacks.get(0));
        assertThat(locator.fallbacks("device-1", chosen, 0)).isEmpty();
    }

    @Test
    void theDevicesOfAGatewayThatWentAwaySpreadEvenlyOverTheOthersFirstFallbacks() {
        live.set(GatewayMembership.of(List.of(withCapacity("gw-a", 0, 0), withCapacity("gw-b", 0, 0),
                withCapacity("gw-c", 0, 0), withCapacity("gw-d", 0, 0), withCapacity("gw-e", 0, 0))));
        GatewayAddress gone = ClusterGatewayLocator.addressOf(withCapacity("gw-a", 0, 0));
        Map<Integer, Integer> firstChoice = new HashMap<>();
        for (int i = 0; i < 8_000; i++) {
            firstChoice.merge(locator.fallbacks("device-" + i, gone, 1).get(0).tcpPort(), 1, Integer::sum);
        }

        assertThat(firstChoice).containsOnlyKeys(7002, 7003, 7004, 7005);
        assertThat(firstChoice.values()).allSatisfy(devices -> assertThat(devices).isBetween(1_800, 2_200));
    }

    @Test
    void noFallbacksWithoutAnotherGateway() {
        live.set(GatewayMembership.of(List.of(withCapacity("gw-a", 0, 10))));
        GatewayAddress only = locator.locate("device-1", "api").orElseThrow();

        assertThat(locator.fallbacks("device-1", only, 2)).isEmpty();
    }

    /** gw-a on TCP port 7001, gw-b on 7002, ... */
    private static GatewayNode withCapacity(String id, int connections, int capacity) {
        return new GatewayNode(id, "127.0.0.1", 7001 + id.charAt(3) - 'a', GatewayNode.NO_WEBSOCKET, null, 7100, 1,
                connections, TestGateways.STARTED_AT, false, capacity);
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
