package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ApiException;
import io.herald.client.ApiUnreachableException;
import io.herald.client.LoginRejectedException;
import io.herald.client.RegistrationConflictException;
import io.herald.client.fake.FakeApi;
import io.herald.client.fake.FakeGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiClientTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeGateway gateway;
    private FakeApi api;
    private ApiClient client;

    @BeforeEach
    void start() {
        gateway = new FakeGateway();
        api = new FakeApi(gateway);
        client = new ApiClient(http, new ObjectMapper(), URI.create(api.url() + "/"), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        api.close();
        gateway.close();
    }

    @Test
    void loginReturnsTokenExpiryAndGateway() throws Exception {
        LoginResult login = client.login("device-1", "secret").get(5, TimeUnit.SECONDS);

        assertThat(api.isValidToken(login.token())).isTrue();
        assertThat(login.expiresAt()).isAfter(Instant.now().plusSeconds(3000));
        assertThat(login.gateway()).isEqualTo(new GatewayInfo("127.0.0.1", gateway.tcpPort(), gateway.wsUrl()));
        assertThat(login.toString()).doesNotContain(login.token());
    }

    @Test
    void registerTellsCreatedFromExistingAndReportsConflicts() throws Exception {
        assertThat(client.register("device-1", "secret").get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.register("device-1", "secret").get(5, TimeUnit.SECONDS)).isFalse();

        assertThatThrownBy(() -> client.register("device-1", "other").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(RegistrationConflictException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo("DEVICE_EXISTS");
                    assertThat(e.isRetryable()).isFalse();
                });
    }

    @Test
    void errorsCarryStatusAndTheApisErrorCode() {
        api.forceLoginStatus(401);
        assertThatThrownBy(() -> client.login("device-1", "secret").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LoginRejectedException.class).hasMessageContaining("FORCED");

        api.forceLoginStatus(503);
        assertThatThrownBy(() -> client.login("device-1", "secret").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void unreachableApiIsReportedAsSuch() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ApiClient nowhere = new ApiClient(http, new ObjectMapper(), URI.create("http://127.0.0.1:" + port),
                Duration.ofSeconds(5));

        assertThatThrownBy(() -> nowhere.login("device-1", "secret").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(ApiUnreachableException.class)
                .hasMessageContaining("POST http://127.0.0.1:" + port + "/api/v1/login");
    }
}
