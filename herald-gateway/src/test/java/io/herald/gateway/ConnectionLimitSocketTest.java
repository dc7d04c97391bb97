package io.herald.gateway;

import io.herald.core.device.DeviceIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.memory.InMemoryUpstreamArchive;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.SocketFrames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections per remote address and in all (the gateway's capacity), over real loopback sockets (every client here is
 * 127.0.0.1).
 */
class ConnectionLimitSocketTest {
    private static final int LIMIT = 2;
    private final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Gateway gateway;

    @BeforeEach
    void start() throws InterruptedException {
        start(AbuseLimits.DEFAULTS.withMaxConnectionsPerAddress(LIMIT));
    }

    private void start(AbuseLimits limits) throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        GatewaySettings settings = GatewaySettings.defaults("gw-limit").withPorts("127.0.0.1", 0, 0)
                .withAbuseLimits(limits);
        gateway = Gateway.start(settings, new GatewayCore.Dependencies(DeviceAuthenticator.inMemory(tokens),
                new InMemoryDeviceStore(), new InMemoryOfflineStore(), new InMemoryUpstreamArchive(), meters,
                Clock.systemUTC(), Map.of()));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void theConnectionOverTheLimitGetsRateLimitedAndIsClosed() throws Exception {
        // one at a time: channels go active on different event loops, so "the third" is only the third in order
        try (Socket first = connect(); Socket second = connect()) {
            assertThat(authenticate(first, "dev-1")).isInstanceOf(AuthOkFrame.class);
            assertThat(authenticate(second, "dev-2")).isInstanceOf(AuthOkFrame.class);

            try (Socket third = connect()) {
                Frame reply = read(third);

                assertThat(reply).isInstanceOf(ErrorFrame.class);
                assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(((ErrorFrame) reply).reason()).contains("too many connections from 127.0.0.1 (at most 2)");
                assertThat(third.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(refusedConnections()).isEqualTo(1);
        }
    }

    @Test
    void aClosedConnectionFreesItsSlot() throws Exception {
        try (Socket kept = connect()) {
            authenticate(kept, "dev-0");
            try (Socket closing = connect()) {
                assertThat(authenticate(closing, "dev-1")).isInstanceOf(AuthOkFrame.class);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.connectionCount() == 1);

            try (Socket next = connect()) {
                assertThat(authenticate(next, "dev-2")).isInstanceOf(AuthOkFrame.class);
            }
        }
    }

    @Test
    void aWebSocketOverTheLimitIsRefusedWithHttp429() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            authenticate(first, "dev-1");
            authenticate(second, "dev-2");
            HttpClient client = HttpClient.newHttpClient();
            var handshake = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + gateway.wsPort() + "/ws"), new WebSocket.Listener() { });

            assertThatThrownBy(() -> handshake.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                            .isEqualTo(429));
        }
    }

    @Test
    void aWebSocketWithinTheLimitIsServed() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.wsPort() + "/ws"), new WebSocket.Listener() { })
                .get(5, TimeUnit.SECONDS);
        socket.abort();
    }

    @Test
    void aFullGatewayRefusesTheNextConnectionWithGatewayFullAndFreesTheSlotOnClose() throws Exception {
        start(AbuseLimits.DEFAULTS.withMaxConnectionsPerAddress(0).withMaxConnections(LIMIT));
        assertThat(gauge("herald.connections.limit")).isEqualTo(LIMIT);
        try (Socket first = connect()) {
            assertThat(authenticate(first, "dev-1")).isInstanceOf(AuthOkFrame.class);
            try (Socket unauthenticated = connect()) {
                // an open socket takes a slot before its AUTH: a flood of idle sockets cannot exceed the capacity
                await().atMost(Duration.ofSeconds(5)).until(() -> gauge("herald.connections.open") == LIMIT);
                try (Socket third = connect()) {
                    Frame reply = read(third);

                    assertThat(reply).isInstanceOf(ErrorFrame.class);
                    assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.GATEWAY_FULL);
                    assertThat(((ErrorFrame) reply).reason()).contains("this gateway is full (2 connections");
                    assertThat(third.getInputStream().read()).isEqualTo(-1);
                }
                HttpClient client = HttpClient.newHttpClient();
                var handshake = client.newWebSocketBuilder().buildAsync(
                        URI.create("ws://127.0.0.1:" + gateway.wsPort() + "/ws"), new WebSocket.Listener() { });
                assertThatThrownBy(() -> handshake.get(5, TimeUnit.SECONDS))
                        .cause().isInstanceOf(WebSocketHandshakeException.class)
                        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                                .isEqualTo(503));
                assertThat(meters.get("herald.limited").tag("limit", "connections").tag("action", "refused")
                        .counter().count()).isEqualTo(2);
            }
            // the refused ones and the closed one gave their slots back
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("herald.connections.open") == 1);
            try (Socket next = connect()) {
                assertThat(authenticate(next, "dev-2")).isInstanceOf(AuthOkFrame.class);
            }
        }
    }

    @Test
    void aConnectionRefusedForItsAddressGivesItsCapacitySlotBack() throws Exception {
        start(AbuseLimits.DEFAULTS.withMaxConnectionsPerAddress(1).withMaxConnections(LIMIT));
        try (Socket first = connect()) {
            assertThat(authenticate(first, "dev-1")).isInstanceOf(AuthOkFrame.class);
            for (int i = 0; i < 3; i++) {
                try (Socket refused = connect()) {
                    assertThat(((ErrorFrame) read(refused)).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("herald.connections.open") == 1);
        }
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double refusedConnections() {
        return meters.get("herald.limited").tag("limit", "connections_per_address").tag("action", "refused")
                .counter().count();
    }

    private Socket connect() throws IOException {
        return SocketFrames.connect(gateway.tcpPort());
    }

    private Frame authenticate(Socket socket, String clientId) throws Exception {
        SocketFrames.write(socket,
                new AuthFrame(tokens.issue(new DeviceIdentity(clientId, 0), Duration.ofMinutes(5)).value()));
        return read(socket);
    }

    private static Frame read(Socket socket) throws Exception {
        return SocketFrames.read(socket);
    }
}
