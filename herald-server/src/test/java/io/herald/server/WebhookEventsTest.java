package io.herald.server;

import static io.herald.server.StandaloneFixture.json;
import static io.herald.server.StandaloneFixture.nextMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.api.testing.WebhookReceiver;
import io.herald.api.webhook.WebhookSettings;
import io.herald.api.webhook.WebhookSignature;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone node posting its events to a real HTTP receiver, and answering {@code GET /api/v1/messages/{id}}:
 * devices are raw sockets that ack only when the test says so.
 */
class WebhookEventsTest {
    private static final String SECRET = "standalone-webhook-secret";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;
    private WebhookReceiver receiver;
    private StandaloneFixture herald;

    @BeforeEach
    void start() throws Exception {
        receiver = WebhookReceiver.start();
        receiver.answerNext(503); // the first batch is retried
        herald = StandaloneFixture.withWebhook(dataDir, new WebhookSettings(receiver.url(), SECRET, 100, 50,
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() {
        herald.close();
        receiver.close();
    }

    @Test
    void aDevicesConnectAckAndDisconnectArePostedSignedAndTheMessageStatusFollows() throws Exception {
        String messageId;
        try (Socket device = herald.authenticatedSocket("ev-1")) {
            JsonNode connected = receiver.awaitEvent(WebhookReceiver.event("device.connected", "ev-1"), WAIT);
            assertThat(connected.get("v").asInt()).isEqualTo(1);
            assertThat(connected.get("nodeId").asText()).isEqualTo("it");
            assertThat(connected.get("transport").asText()).isEqualTo("tcp");
            assertThat(connected.get("remoteAddress").asText()).isEqualTo("127.0.0.1:" + device.getLocalPort());

            messageId = json(herald.push("{\"to\":\"ev-1\",\"payload\":\"open the door\",\"qos\":1}"))
                    .get("messageId").asText();
            MessageFrame message = nextMessage(device);
            JsonNode stored = json(herald.get("/api/v1/messages/" + messageId));
            assertThat(stored.get("devices").get(0).get("clientId").asText()).isEqualTo("ev-1");
            assertThat(stored.get("devices").get(0).get("state").asText()).isEqualTo("stored");
            assertThat(stored.get("devices").get(0).has("at")).isFalse();

            SocketFrames.write(device, AckFrame.ok(message.messageId()));
            JsonNode acked = receiver.awaitEvent(WebhookReceiver.event("message.acked", "ev-1"), WAIT);
            assertThat(acked.get("messageId").asText()).isEqualTo(messageId);
            await().atMost(WAIT).until(() -> json(herald.get("/api/v1/messages/" + messageId)).get("devices").get(0)
                    .get("state").asText().equals("acked"));
            JsonNode status = json(herald.get("/api/v1/messages/" + messageId));
            assertThat(status.get("devices")).hasSize(1);
            assertThat(status.get("devices").get(0).get("at").asText()).endsWith("Z");
            assertThat(status.get("truncated").asBoolean()).isFalse();
        }

        JsonNode disconnected = receiver.awaitEvent(WebhookReceiver.event("device.disconnected", "ev-1"), WAIT);
        assertThat(disconnected.get("reason").asText()).isEqualTo("client_closed");
        assertThat(disconnected.get("sessionDurationMs").asLong()).isNotNegative();
        assertThat(disconnected.get("sessionId").asText()).isNotEmpty();

        // The first request got a 503 and was sent again, so the connect event came twice with one id.
        assertThat(receiver.requests().size()).isGreaterThanOrEqualTo(2);
        assertThat(receiver.requests().get(1).events().get(0).get("id").asText())
                .isEqualTo(receiver.requests().get(0).events().get(0).get("id").asText());
        WebhookSignature signature = new WebhookSignature(SECRET);
        long now = System.currentTimeMillis() / 1000;
        assertThat(receiver.requests()).allSatisfy(request -> assertThat(signature.verify(request.signature(),
                request.body(), now, Duration.ofMinutes(5))).isTrue());
        String metrics = herald.get("/metrics").body();
        assertThat(metrics).containsPattern("herald_webhook_retries_total\\{[^}]*} 1.0");
        assertThat(metrics).containsPattern("herald_webhook_events_dropped_total\\{[^}]*} 0.0");
    }

    @Test
    void aKickedDeviceIsDisconnectedForThatReason() throws Exception {
        try (Socket device = herald.authenticatedSocket("ev-2")) {
            receiver.awaitEvent(WebhookReceiver.event("device.connected", "ev-2"), WAIT);
            assertThat(herald.delete("/api/v1/devices/ev-2/session").statusCode()).isEqualTo(200);

            JsonNode disconnected = receiver.awaitEvent(WebhookReceiver.event("device.disconnected", "ev-2"), WAIT);
            assertThat(disconnected.get("reason").asText()).isEqualTo("kicked");
        }
    }

    @Test
    void aMessageToAnOfflineDeviceIsStoredAndAnUnknownIdIsNotFound() throws Exception {
        herald.register("ev-3");
        String messageId = json(herald.push("{\"to\":\"ev-3\",\"payload\":\"later\",\"qos\":1}"))
                .get("messageId").asText();

        JsonNode status = json(herald.get("/api/v1/messages/" + messageId));
        assertThat(status.get("devices").get(0).get("state").asText()).isEqualTo("stored");

        HttpResponse<String> unknown = herald.get("/api/v1/messages/12345");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").get("code").asText()).isEqualTo("message_not_found");
        HttpResponse<String> malformed = herald.get("/api/v1/messages/not-a-number");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("error").get("code").asText()).isEqualTo("invalid_request");
    }
}
