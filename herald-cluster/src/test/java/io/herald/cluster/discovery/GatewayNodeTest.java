package io.herald.cluster.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GatewayNodeTest {

    private static GatewayNode withId(String id) {
        return new GatewayNode(id, "h", 7000, -1, null, 7100, 1, 0, TestGateways.STARTED_AT);
    }

    @Test
    void idMustBeAUsableZnodeName() {
        assertThat(withId("gw-1.eu_west").id()).isEqualTo("gw-1.eu_west");
        for (String bad : new String[] {null, "", "a/b", "..", ".hidden", "x".repeat(129)}) {
            assertThatThrownBy(() -> withId(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gateway id");
        }
    }

    @Test
    void dropsTheWebSocketPathWhenThereIsNoWebSocketListener() {
        GatewayNode node = new GatewayNode("gw-1", "h", 7000, GatewayNode.NO_WEBSOCKET, "/ws", 7100, 1, 0,
                TestGateways.STARTED_AT);

        assertThat(node.hasWebSocket()).isFalse();
        assertThat(node.wsPath()).isNull();
    }

    @Test
    void rejectsImpossibleValuesWithTheGatewayIdInTheMessage() {
        assertThatThrownBy(() -> new GatewayNode("gw-1", " ", 7000, -1, null, 7100, 1, 0, TestGateways.STARTED_AT))
                .hasMessage("gateway gw-1: host is required");
        assertThatThrownBy(() -> new GatewayNode("gw-1", "h", 0, -1, null, 7100, 1, 0, TestGateways.STARTED_AT))
                .hasMessage("gateway gw-1: TCP port must be 1-65535, was 0");
        assertThatThrownBy(() -> new GatewayNode("gw-1", "h", 7000, 7001, "ws", 7100, 1, 0, TestGateways.STARTED_AT))
                .hasMessage("gateway gw-1: WebSocket path must start with '/', was ws");
        assertThatThrownBy(() -> new GatewayNode("gw-1", "h", 7000, -1, null, 7100, 101, 0, TestGateways.STARTED_AT))
                .hasMessage("gateway gw-1: weight must be 1-100, was 101");
        assertThatThrownBy(() -> new GatewayNode("gw-1", "h", 7000, -1, null, 7100, 1, -1, TestGateways.STARTED_AT))
                .hasMessage("gateway gw-1: connections must not be negative, was -1");
    }
}
