package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.TlsMode;
import io.herald.client.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayRotationTest {
    private static final GatewayInfo A = new GatewayInfo("10.0.0.1", 7001, "ws://10.0.0.1:7081/ws");
    private static final GatewayInfo B = new GatewayInfo("10.0.0.2", 7002, null);
    private static final GatewayInfo C = new GatewayInfo("10.0.0.3", 7003, "ws://10.0.0.3:7083/ws");

    private static GatewayRotation tcp(GatewayInfo assigned, GatewayInfo... fallbacks) {
        return GatewayRotation.of(GatewayEndpoint.of(assigned, Transport.TCP), List.of(fallbacks), Transport.TCP,
                TlsMode.AUTO);
    }

    @Test
    void triesEveryOtherGatewayOnceInARowThenGivesUp() {
        GatewayRotation rotation = tcp(A, B, C);

        assertThat(rotation.next().port()).isEqualTo(7002);
        assertThat(rotation.next().port()).isEqualTo(7003);
        assertThat(rotation.next()).as("the assigned one failed first: not again in this round").isNull();
        assertThat(rotation.next()).isNull();
    }

    @Test
    void aConnectionStartsANewRoundFromTheGatewayThatTookIt() {
        GatewayRotation rotation = tcp(A, B, C);
        assertThat(rotation.next().port()).isEqualTo(7002);

        rotation.connected();

        assertThat(rotation.next().port()).isEqualTo(7003);
        assertThat(rotation.next().port()).as("round the list to the assigned one").isEqualTo(7001);
        assertThat(rotation.next()).isNull();
    }

    @Test
    void withoutFallbacksThereIsNothingToMoveTo() {
        GatewayRotation rotation = tcp(A);

        assertThat(rotation.size()).isEqualTo(1);
        assertThat(rotation.next()).isNull();
    }

    @Test
    void fallbacksTheTransportCannotUseAndRepeatsAreLeftOut() {
        GatewayRotation rotation = GatewayRotation.of(GatewayEndpoint.of(A, Transport.WEBSOCKET),
                List.of(B, A, C), Transport.WEBSOCKET, TlsMode.AUTO); // B has no WebSocket listener

        assertThat(rotation.size()).isEqualTo(2);
        assertThat(rotation.next().describe()).isEqualTo("ws://10.0.0.3:7083/ws");
    }
}
