package io.herald.api;

import io.herald.core.device.DeviceIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoginApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
        api.register("login-1", "secret-123");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void gatewayBackOn() {
        api.gateways.available = true;
        api.gateways.webSocket = true;
    }

    private static String body(String clientId, String secret) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\"}";
    }

    @Test
    void loginReturnsTokenExpiryAndGateway() {
        TestApi.Reply reply = api.post("/api/v1/login", body("login-1", "secret-123"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        String token = json.get("token").asText();
        assertThat(api.tokens.resolve(token)).map(DeviceIdentity::clientId).contains("login-1");
        assertThat(Instant.parse(json.get("expiresAt").asText())).isEqualTo(TestApi.NOW.plus(TestApi.TOKEN_TTL));
        JsonNode gateway = json.get("gateway");
        assertThat(gateway.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(gateway.get("tcpPort").asInt()).isEqualTo(FakeGatewayLocator.TCP_PORT);
        assertThat(gateway.get("wsUrl").asText()).isEqualTo("ws://127.0.0.1:7001/ws");
        assertThat(gateway.get("tls").asBoolean()).as("a gateway without TLS says so").isFalse();
        // the locator is told which host the device used for the API (Host header, without the port)
        assertThat(api.gateways.lastRequestHost).isEqualTo("127.0.0.1");
        assertThat(json.get("fallbackGateways").isArray()).isTrue();
        assertThat(json.get("fallbackGateways")).as("one gateway: nowhere else to go").isEmpty();
    }

    @Test
    void loginListsUpToTwoFallbackGatewaysForTheSameToken() {
        api.gateways.fallbackPorts = List.of(7100, 7200, 7300);

        JsonNode fallbacks = api.post("/api/v1/login", body("login-1", "secret-123")).json().get("fallbackGateways");

        assertThat(fallbacks).hasSize(2);
        assertThat(fallbacks.get(0).get("tcpPort").asInt()).isEqualTo(7100);
        assertThat(fallbacks.get(1).get("tcpPort").asInt()).isEqualTo(7200);
        assertThat(fallbacks.get(0).get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(fallbacks.get(0).get("wsUrl").isNull()).isTrue();
        assertThat(fallbacks.get(0).get("tls").asBoolean()).isTrue();
    }

    @Test
    void gatewayWithoutWebSocketHasNullWsUrl() {
        api.gateways.webSocket = false;

        JsonNode gateway = api.post("/api/v1/login", body("login-1", "secret-123")).json().get("gateway");

        assertThat(gateway.has("wsUrl")).isTrue();
        assertThat(gateway.get("wsUrl").isNull()).isTrue();
        assertThat(gateway.get("tcpPort").asInt()).isEqualTo(FakeGatewayLocator.TCP_PORT);
    }

    @Test
    void wrongSecretAndUnknownDeviceGetTheSameAnswer() {
        TestApi.Reply wrongSecret = api.post("/api/v1/login", body("login-1", "wrong-secret"));
        TestApi.Reply unknown = api.post("/api/v1/login", body("login-nobody", "secret-123"));

        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrongSecret.errorCode()).isEqualTo("invalid_credentials");
        assertThat(unknown.body()).isEqualTo(wrongSecret.body());
        assertThat(wrongSecret.header("www-authenticate")).isNull();
    }

    @Test
    void noGatewayIs503AndIssuesNoToken() {
        api.gateways.available = false;
        int tokensBefore = api.tokens.size();

        TestApi.Reply reply = api.post("/api/v1/login", body("login-1", "secret-123"));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.errorCode()).isEqualTo("no_gateway");
        assertThat(api.tokens.size()).isEqualTo(tokensBefore);
    }

    @Test
    void invalidBodyIs400() {
        TestApi.Reply reply = api.post("/api/v1/login", "{\"clientId\":\"login-1\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_secret");
    }

    @Test
    void loginsAreCounted() {
        api.post("/api/v1/login", body("login-1", "secret-123"));
        api.post("/api/v1/login", body("login-1", "bad-secret!"));

        assertThat(api.registry.get("herald.http.logins").tag("result", "ok").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(api.registry.get("herald.http.logins").tag("result", "failed").counter().count())
                .isGreaterThanOrEqualTo(1);
    }
}
