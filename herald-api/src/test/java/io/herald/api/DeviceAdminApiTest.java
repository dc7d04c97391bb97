package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.ServiceUnavailableException;
import io.herald.core.message.PushMessage;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.session.SessionInfo;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceAdminApiTest {
    private static final long NOW = TestApi.NOW.toEpochMilli();
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static PushMessage message(long id, long expiresAt) {
        return new PushMessage(id, ContentType.TEXT, Qos.AT_LEAST_ONCE, new byte[] {1}, null, NOW - 1000, expiresAt);
    }

    private static UpstreamMessage upstream(String clientId, long id, ContentType type, byte[] payload,
                                            String traceId, long receivedAt) {
        long generation = api.deviceStore.find(clientId).orElseThrow().generation();
        return new UpstreamMessage(clientId, generation, id, type, payload, traceId, receivedAt - 5, receivedAt);
    }

    @Test
    void offlineDeviceStatus() {
        api.register("adm-offline", "secret-123");
        api.offlineStore.store(List.of("adm-offline"), message(1, NOW + 60_000));
        api.offlineStore.store(List.of("adm-offline"), message(2, NOW + 60_000));
        api.offlineStore.store(List.of("adm-offline"), message(3, NOW - 1)); // expired: not pending

        TestApi.Reply reply = api.get("/api/v1/devices/adm-offline", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("clientId").asText()).isEqualTo("adm-offline");
        assertThat(Instant.parse(json.get("registeredAt").asText())).isEqualTo(TestApi.NOW);
        assertThat(json.get("online").asBoolean()).isFalse();
        assertThat(json.get("pendingMessages").asInt()).isEqualTo(2);
        assertThat(json.has("connectedAt")).isFalse();
        assertThat(json.has("sessionId")).isFalse();
    }

    @Test
    void onlineDeviceStatusShowsTheSession() {
        api.register("adm-online", "secret-123");
        Instant connectedAt = TestApi.NOW.minusSeconds(30);
        api.sessions.connect(new SessionInfo("adm-online", "sess-9", connectedAt, "websocket", "10.1.2.3:5555",
                "gw-1"));

        JsonNode json = api.get("/api/v1/devices/adm-online", TestApi.apiKey()).json();

        assertThat(json.get("online").asBoolean()).isTrue();
        assertThat(Instant.parse(json.get("connectedAt").asText())).isEqualTo(connectedAt);
        assertThat(json.get("transport").asText()).isEqualTo("websocket");
        assertThat(json.get("remoteAddress").asText()).isEqualTo("10.1.2.3:5555");
        assertThat(json.get("gateway").asText()).isEqualTo("gw-1");
        assertThat(json.get("sessionId").asText()).isEqualTo("sess-9");
        assertThat(json.get("pendingMessages").asInt()).isZero();
    }

    @Test
    void unknownDeviceIs404() {
        TestApi.Reply reply = api.get("/api/v1/devices/adm-nobody", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("device_not_found");
    }

    @Test
    void invalidIdInPathIs400() {
        TestApi.Reply reply = api.get("/api/v1/devices/bad%20id", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_client_id");
    }

    @Test
    void adminEndpointsNeedTheApiKey() {
        api.register("adm-auth", "secret-123");

        List<TestApi.Reply> replies = List.of(
                api.get("/api/v1/devices/adm-auth"),
                api.get("/api/v1/devices/adm-auth/messages"),
                api.delete("/api/v1/devices/adm-auth/session"),
                api.delete("/api/v1/devices/adm-auth", "Authorization", "Bearer wrong"));

        for (TestApi.Reply reply : replies) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("unauthorized");
            assertThat(reply.header("www-authenticate")).isEqualTo("Bearer");
        }
        assertThat(api.deviceStore.find("adm-auth")).isPresent();
    }

    @Test
    void aSessionLookupFailingBecauseAGatewayIsUnreachableIs503() {
        api.register("adm-unreachable", "secret-123");
        api.sessions.failure = new ServiceUnavailableException("gateway g2 unreachable", null);

        TestApi.Reply reply = api.get("/api/v1/devices/adm-unreachable", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.errorCode()).isEqualTo("service_unavailable");
        assertThat(reply.headers().firstValue("retry-after")).contains("5");
        api.sessions.failure = null;
    }

    @Test
    void kickConnectedDevice() {
        api.register("adm-kick", "secret-123");
        api.sessions.connect(new SessionInfo("adm-kick", "s1", TestApi.NOW, "tcp", "10.0.0.1:1", "gw-1"));

        TestApi.Reply reply = api.delete("/api/v1/devices/adm-kick/session", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("clientId").asText()).isEqualTo("adm-kick");
        assertThat(reply.json().get("kicked").asBoolean()).isTrue();
        assertThat(api.sessions.kicks).contains(new FakeSessionDirectory.Kick("adm-kick", "kicked by operator", true));
    }

    @Test
    void kickOfflineDeviceSaysFalse() {
        api.register("adm-kick-off", "secret-123");

        TestApi.Reply reply = api.delete("/api/v1/devices/adm-kick-off/session", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("kicked").asBoolean()).isFalse();
    }

    @Test
    void kickUnknownDeviceIs404() {
        TestApi.Reply reply = api.delete("/api/v1/devices/adm-kick-nobody/session", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("device_not_found");
        assertThat(api.sessions.kicks).noneMatch(k -> k.clientId().equals("adm-kick-nobody"));
    }

    @Test
    void deleteRemovesDeviceRevokesTokensAndKicks() {
        api.register("adm-del", "secret-123");
        String token = api.deviceService.login("adm-del", "secret-123").orElseThrow().value();
        api.sessions.connect(new SessionInfo("adm-del", "s2", TestApi.NOW, "tcp", "10.0.0.2:2", "gw-1"));

        TestApi.Reply reply = api.delete("/api/v1/devices/adm-del", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(api.deviceStore.find("adm-del")).isEmpty();
        assertThat(api.tokens.resolve(token)).isEmpty();
        assertThat(api.sessions.kicks).anyMatch(k -> k.clientId().equals("adm-del") && k.wasOnline());
        assertThat(api.get("/api/v1/devices/adm-del", TestApi.apiKey()).status()).isEqualTo(404);
    }

    @Test
    void deleteUnknownDeviceIs404() {
        TestApi.Reply reply = api.delete("/api/v1/devices/adm-del-nobody", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("device_not_found");
    }

    @Test
    void messagesOfAnEarlierRegistrationOfTheIdAreNotListed() {
        api.register("adm-reuse", "secret-123");
        api.archive.append(List.of(upstream("adm-reuse", 1, ContentType.TEXT, new byte[] {'o'}, null, NOW - 10)));
        assertThat(api.delete("/api/v1/devices/adm-reuse", TestApi.apiKey()).status()).isEqualTo(204);
        api.register("adm-reuse", "another-owner");
        api.archive.append(List.of(upstream("adm-reuse", 2, ContentType.TEXT, new byte[] {'n'}, null, NOW)));

        JsonNode messages = api.get("/api/v1/devices/adm-reuse/messages", TestApi.apiKey()).json().get("messages");

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).get("messageId").asText()).isEqualTo("2");
    }

    @Test
    void messagesNewestFirstWithTextAndBase64() {
        api.register("adm-msg", "secret-123");
        byte[] binary = {(byte) 0xde, (byte) 0xad};
        byte[] notUtf8 = {(byte) 0xc3, (byte) 0x28};
        api.archive.append(List.of(
                upstream("adm-msg", 11, ContentType.TEXT, "hi".getBytes(StandardCharsets.UTF_8), "tr-1", NOW - 3000),
                upstream("adm-msg", 12, ContentType.JSON, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null,
                        NOW - 2000),
                upstream("adm-msg", 13, ContentType.IMAGE, binary, null, NOW - 1000),
                upstream("adm-msg", 14, ContentType.TEXT, notUtf8, null, NOW)));

        TestApi.Reply reply = api.get("/api/v1/devices/adm-msg/messages", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("clientId").asText()).isEqualTo("adm-msg");
        JsonNode messages = json.get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("messageId").asText()).isEqualTo("14");
        assertThat(messages.get(0).get("payloadBase64").asText()).isEqualTo(Base64.getEncoder().encodeToString(notUtf8));
        JsonNode image = messages.get(1);
        assertThat(image.get("contentType").asText()).isEqualTo("image");
        assertThat(image.get("payloadBase64").asText()).isEqualTo(Base64.getEncoder().encodeToString(binary));
        assertThat(image.has("payload")).isFalse();
        JsonNode jsonMessage = messages.get(2);
        assertThat(jsonMessage.get("contentType").asText()).isEqualTo("json");
        assertThat(jsonMessage.get("payload").asText()).isEqualTo("{\"a\":1}");
        JsonNode text = messages.get(3);
        assertThat(text.get("messageId").asText()).isEqualTo("11");
        assertThat(text.get("payload").asText()).isEqualTo("hi");
        assertThat(text.has("payloadBase64")).isFalse();
        assertThat(text.get("traceId").asText()).isEqualTo("tr-1");
        assertThat(Instant.parse(text.get("receivedAt").asText())).isEqualTo(Instant.ofEpochMilli(NOW - 3000));
        assertThat(Instant.parse(text.get("sentAt").asText())).isEqualTo(Instant.ofEpochMilli(NOW - 3005));
    }

    @Test
    void messagesLimit() {
        api.register("adm-limit", "secret-123");
        for (int i = 0; i < 60; i++) {
            api.archive.append(List.of(upstream("adm-limit", i, ContentType.TEXT, new byte[] {'x'}, null, NOW + i)));
        }

        assertThat(api.get("/api/v1/devices/adm-limit/messages", TestApi.apiKey()).json().get("messages"))
                .hasSize(50);
        JsonNode three = api.get("/api/v1/devices/adm-limit/messages?limit=3", TestApi.apiKey()).json()
                .get("messages");
        assertThat(three).hasSize(3);
        assertThat(three.get(0).get("messageId").asText()).isEqualTo("59");
        assertThat(api.get("/api/v1/devices/adm-limit/messages?limit=1000", TestApi.apiKey()).status())
                .isEqualTo(200);
    }

    @Test
    void badLimitIs400() {
        api.register("adm-badlimit", "secret-123");

        for (String limit : List.of("0", "1001", "abc", "-1", "")) {
            TestApi.Reply reply = api.get("/api/v1/devices/adm-badlimit/messages?limit=" + limit, TestApi.apiKey());
            assertThat(reply.status()).as("limit=" + limit).isEqualTo(400);
            assertThat(reply.errorMessage()).isEqualTo("limit must be an integer from 1 to 1000");
        }
    }

    @Test
    void messagesOfUnknownDeviceIs404() {
        TestApi.Reply reply = api.get("/api/v1/devices/adm-msg-nobody/messages", TestApi.apiKey());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("device_not_found");
    }
}
