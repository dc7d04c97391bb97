package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.client.TlsMode;
import io.herald.client.Transport;
import java.net.URI;
import org.junit.jupiter.api.Test;

class GatewayEndpointTest {

    @Test
    void tcpEndpointComesFromHostAndTcpPort() {
        GatewayEndpoint endpoint = GatewayEndpoint.of(new GatewayInfo("gw1.example", 7000, null), Transport.TCP);

        assertThat(endpoint.host()).isEqualTo("gw1.example");
        assertThat(endpoint.port()).isEqualTo(7000);
        assertThat(endpoint.tls()).isFalse();
        assertThat(endpoint.describe()).isEqualTo("gw1.example:7000");
    }

    @Test
    void webSocketEndpointComesFromTheUrlWithDefaultPorts() {
        GatewayEndpoint plain = GatewayEndpoint.of(new GatewayInfo("h", 7000, "ws://gw1.example/ws"),
                Transport.WEBSOCKET);
        GatewayEndpoint secure = GatewayEndpoint.of(new GatewayInfo("h", 7000, "wss://gw1.example/ws?v=1"),
                Transport.WEBSOCKET);

        assertThat(plain.port()).isEqualTo(80);
        assertThat(plain.webSocketUri()).isEqualTo(URI.create("ws://gw1.example:80/ws"));
        assertThat(secure.port()).isEqualTo(443);
        assertThat(secure.tls()).isTrue();
        assertThat(secure.webSocketUri()).isEqualTo(URI.create("wss://gw1.example:443/ws?v=1"));
    }

    @Test
    void tlsFollowsTheLoginAnswerUnlessTheOptionsSayOtherwise() {
        GatewayInfo secure = new GatewayInfo("gw1.example", 7000, "wss://gw1.example:7443/ws", true);
        GatewayInfo plain = new GatewayInfo("gw1.example", 7000, "ws://gw1.example:7080/ws", false);

        assertThat(GatewayEndpoint.of(secure, Transport.TCP, TlsMode.AUTO).tls()).isTrue();
        assertThat(GatewayEndpoint.of(plain, Transport.TCP, TlsMode.AUTO).tls()).isFalse();
        assertThat(GatewayEndpoint.of(plain, Transport.TCP, TlsMode.ON).tls()).isTrue();
        assertThat(GatewayEndpoint.of(secure, Transport.TCP, TlsMode.OFF).tls()).isFalse();
        assertThat(GatewayEndpoint.of(plain, Transport.WEBSOCKET, TlsMode.ON).webSocketUri())
                .isEqualTo(URI.create("wss://gw1.example:7080/ws"));
        assertThat(GatewayEndpoint.of(secure, Transport.WEBSOCKET, TlsMode.OFF).webSocketUri())
                .isEqualTo(URI.create("ws://gw1.example:7443/ws"));
    }

    @Test
    void missingListenerForTheTransportIsReportedClearly() {
        assertThatThrownBy(() -> GatewayEndpoint.of(new GatewayInfo("h", 7000, null), Transport.WEBSOCKET))
                .isInstanceOf(NoUsableGatewayException.class).hasMessageContaining("WebSocket");
        assertThatThrownBy(() -> GatewayEndpoint.of(new GatewayInfo("h", 0, "ws://h/ws"), Transport.TCP))
                .isInstanceOf(NoUsableGatewayException.class).hasMessageContaining("TCP");
        assertThatThrownBy(() -> GatewayEndpoint.of(new GatewayInfo("h", 1, "ftp://h/ws"), Transport.WEBSOCKET))
                .isInstanceOf(NoUsableGatewayException.class).hasMessageContaining("ftp://h/ws");
    }

    @Test
    void redirectKeepsTransportSchemeAndPath() {
        GatewayEndpoint ws = GatewayEndpoint.of(new GatewayInfo("h", 1, "wss://old.example:8443/ws"),
                Transport.WEBSOCKET);

        GatewayEndpoint moved = ws.redirectedTo("new.example:9443");

        assertThat(moved.webSocketUri()).isEqualTo(URI.create("wss://new.example:9443/ws"));
        assertThat(moved.host()).isEqualTo("new.example");
        assertThat(moved.tls()).isTrue();
    }

    @Test
    void redirectAcceptsBracketedIpv6AndRefusesGarbage() {
        GatewayEndpoint tcp = GatewayEndpoint.of(new GatewayInfo("h", 7000, null), Transport.TCP);

        GatewayEndpoint moved = tcp.redirectedTo("[::1]:7001");

        assertThat(moved.host()).isEqualTo("::1");
        assertThat(moved.describe()).isEqualTo("[::1]:7001");
        assertThatThrownBy(() -> tcp.redirectedTo("no-port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tcp.redirectedTo("host:1/path")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tcp.redirectedTo("")).isInstanceOf(IllegalArgumentException.class);
    }
}
