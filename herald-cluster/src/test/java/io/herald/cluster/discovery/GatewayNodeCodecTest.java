package io.herald.cluster.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GatewayNodeCodecTest {

    private static GatewayNode decode(String json) {
        return GatewayNodeCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsEveryField() {
        GatewayNode node = new GatewayNode("gw-1", "2001:db8::1", 7000, 7001, "/ws", 7100, 3, 42,
                Instant.parse("2025-03-04T05:06:07.123Z"), true, 19_000);

        assertThat(GatewayNodeCodec.decode(GatewayNodeCodec.encode(node))).isEqualTo(node);
    }

    @Test
    void writesTheDocumentedJson() {
        String json = new String(GatewayNodeCodec.encode(TestGateways.node("gw-1")), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"id\":\"gw-1\",\"host\":\"10.0.0.1\",\"tcpPort\":7000,\"wsPort\":7001,"
                + "\"wsPath\":\"/ws\",\"internalPort\":7100,\"weight\":1,\"connections\":0,"
                + "\"startedAt\":\"2025-01-01T12:00:00Z\",\"tls\":false,\"capacity\":0}");
    }

    @Test
    void carriesTlsAndReadsItsAbsenceAsNoTls() {
        GatewayNode secure = new GatewayNode("gw-1", "gw1.example", 7000, 7001, "/ws", 7100, 1, 0,
                Instant.parse("2025-03-04T05:06:07Z"), true);

        assertThat(GatewayNodeCodec.decode(GatewayNodeCodec.encode(secure)).tls()).isTrue();
        assertThat(decode("{\"id\":\"gw-2\",\"host\":\"h\",\"tcpPort\":7000,\"internalPort\":7100,"
                + "\"startedAt\":\"2025-01-01T12:00:00Z\"}").tls()).isFalse();
    }

    @Test
    void ignoresUnknownFieldsAndDefaultsTheOptionalOnes() {
        GatewayNode node = decode("{\"id\":\"gw-2\",\"host\":\"gw2.example\",\"tcpPort\":7000,\"internalPort\":7100,"
                + "\"startedAt\":\"2025-01-01T12:00:00Z\",\"zone\":\"eu-west-1a\",\"tags\":[\"x\"]}");

        assertThat(node.hasWebSocket()).isFalse();
        assertThat(node.wsPath()).isNull();
        assertThat(node.weight()).isEqualTo(1);
        assertThat(node.connections()).isZero();
        assertThat(node.capacity()).isEqualTo(GatewayNode.NO_CAPACITY);
        assertThat(node.withConnections(1_000_000).full()).as("an older gateway has no capacity").isFalse();
    }

    @Test
    void aGatewayIsFullWhenItsPublishedConnectionsReachItsCapacity() {
        GatewayNode node = decode("{\"id\":\"gw-2\",\"host\":\"h\",\"tcpPort\":7000,\"internalPort\":7100,"
                + "\"startedAt\":\"2025-01-01T12:00:00Z\",\"connections\":99,\"capacity\":100}");

        assertThat(node.full()).isFalse();
        assertThat(node.withConnections(100).full()).isTrue();
        assertThat(node.withConnections(100).capacity()).isEqualTo(100);
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> decode("{\"id\":\"gw-1\",\"tcpPort\":7000}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'host'");
        assertThatThrownBy(() -> decode("{\"id\":\"gw-1\",\"host\":\"h\",\"tcpPort\":\"7000\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tcpPort'");
        assertThatThrownBy(() -> decode("{\"id\":\"gw-1\",\"host\":\"h\",\"tcpPort\":7000,\"internalPort\":7100,"
                + "\"startedAt\":\"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startedAt");
        assertThatThrownBy(() -> decode("{\"id\":\"gw-1\",\"host\":\"h\",\"tcpPort\":7000,\"internalPort\":7100,"
                + "\"weight\":0,\"startedAt\":\"2025-01-01T12:00:00Z\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight");
        assertThatThrownBy(() -> decode("not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("[1,2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> GatewayNodeCodec.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no data");
    }

    @Test
    void refusesDeepOrLongDataInsteadOfBuildingIt() {
        String deep = "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
        String longString = "{\"x\":\"" + "a".repeat(10_000) + "\"}";

        assertThatThrownBy(() -> decode(deep))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode(longString))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }
}
