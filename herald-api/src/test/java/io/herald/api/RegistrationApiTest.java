package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RegistrationApiTest {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String body(String clientId, String secret) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\"}";
    }

    @Test
    void newDeviceIsCreatedWith201() {
        TestApi.Reply reply = api.post("/api/v1/devices", body("reg-new", "secret-123"));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode json = reply.json();
        assertThat(json.get("clientId").asText()).isEqualTo("reg-new");
        assertThat(json.get("registered").asBoolean()).isTrue();
        assertThat(api.deviceStore.find("reg-new")).isPresent();
        assertThat(api.deviceStore.find("reg-new").get().createdAt()).isEqualTo(TestApi.NOW);
    }

    @Test
    void sameSecretAgainIs200AndChangesNothing() {
        api.post("/api/v1/devices", body("reg-again", "secret-123"));
        String hash = api.deviceStore.find("reg-again").orElseThrow().secretHash();

        TestApi.Reply reply = api.post("/api/v1/devices", body("reg-again", "secret-123"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("registered").asBoolean()).isTrue();
        assertThat(api.deviceStore.find("reg-again").orElseThrow().secretHash()).isEqualTo(hash);
    }

    @Test
    void otherSecretIs409() {
        api.post("/api/v1/devices", body("reg-taken", "secret-123"));

        TestApi.Reply reply = api.post("/api/v1/devices", body("reg-taken", "another-secret"));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("client_id_taken");
        assertThat(reply.errorMessage()).isEqualTo("clientId is already registered with another secret");
    }

    @Test
    void invalidClientIdIs400WithTheRule() {
        TestApi.Reply reply = api.post("/api/v1/devices", body("bad id!", "secret-123"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_client_id");
        assertThat(reply.errorMessage()).isEqualTo("clientId may contain only letters, digits and . _ - : @");
    }

    @Test
    void tooLongClientIdIs400() {
        TestApi.Reply reply = api.post("/api/v1/devices", body("x".repeat(129), "secret-123"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_client_id");
    }

    @Test
    void missingClientIdIs400() {
        TestApi.Reply reply = api.post("/api/v1/devices", "{\"secret\":\"secret-123\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_client_id");
        assertThat(reply.errorMessage()).isEqualTo("clientId is required");
    }

    @Test
    void shortSecretIs400() {
        TestApi.Reply reply = api.post("/api/v1/devices", body("reg-short", "short"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_secret");
        assertThat(reply.errorMessage()).isEqualTo("secret must be 8 to 256 characters");
        assertThat(api.deviceStore.find("reg-short")).isEmpty();
    }

    @Test
    void missingSecretIs400() {
        TestApi.Reply reply = api.post("/api/v1/devices", "{\"clientId\":\"reg-nosecret\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_secret");
        assertThat(reply.errorMessage()).isEqualTo("secret is required");
    }

    @Test
    void wrongJsonTypeIs400() {
        TestApi.Reply reply = api.post("/api/v1/devices", "{\"clientId\":12345,\"secret\":\"secret-123\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_request");
        assertThat(reply.errorMessage()).isEqualTo("clientId must be a string");
    }

    @Test
    void secretOfWrongTypeIs400() {
        TestApi.Reply reply = api.post("/api/v1/devices", "{\"clientId\":\"reg-type\",\"secret\":[1,2]}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorMessage()).isEqualTo("secret must be a string");
    }

    @Test
    void openRegistrationNeedsNoApiKey() {
        TestApi.Reply reply = api.post("/api/v1/devices", body("reg-open", "secret-123"));

        assertThat(reply.status()).isEqualTo(201);
    }
}
