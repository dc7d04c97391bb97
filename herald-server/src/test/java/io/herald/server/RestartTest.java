package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone keeps registered devices, undelivered QoS 1 messages and acked outcomes across a restart. */
class RestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void storedMessagesAndDevicesSurviveARestart() throws Exception {
        try (StandaloneFixture first = new StandaloneFixture(dataDir)) {
            first.register("durable");
            assertThat(JSON.readTree(first.push("{\"to\":\"durable\",\"payload\":\"kept\",\"qos\":1}").body())
                    .get("stored").asInt()).isEqualTo(1);
        }

        try (StandaloneFixture second = new StandaloneFixture(dataDir)) {
            RecordingListener listener = new RecordingListener();
            // logging in again proves the device registration survived too
            second.client("durable", listener).start().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.messages.size() == 1);
            assertThat(listener.texts()).containsExactly("kept");
        }
    }

    @Test
    void anAckedStatusIsAnsweredBeforeAndAfterARestart() throws Exception {
        String messageId;
        String acked;
        try (StandaloneFixture first = new StandaloneFixture(dataDir)) {
            first.register("acker");
            RecordingListener listener = new RecordingListener();
            first.client("acker", listener).start().get(10, TimeUnit.SECONDS);
            messageId = JSON.readTree(first.push("{\"to\":\"acker\",\"payload\":\"hi\",\"qos\":1}").body())
                    .get("messageId").asText();
            // The in-flight log's ACK outcome, answered from memory (no segment rolled).
            await().atMost(Duration.ofSeconds(10)).until(() -> state(first, messageId).equals("acked"));
            acked = device(first, messageId).toString();
        }
        try (StandaloneFixture second = new StandaloneFixture(dataDir)) {
            assertThat(device(second, messageId).toString()).as("moved to the outcome table at shutdown")
                    .isEqualTo(acked);
        }
    }

    private static String state(StandaloneFixture node, String messageId) throws Exception {
        return device(node, messageId).path("state").asText();
    }

    private static JsonNode device(StandaloneFixture node, String messageId)
            throws Exception {
        return JSON.readTree(node.get("/api/v1/messages/" + messageId).body()).path("devices").path(0);
    }

    @Test
    void messageUnackedWhenTheServerStopsIsDeliveredAfterRestart() throws Exception {
        try (StandaloneFixture first = new StandaloneFixture(dataDir)) {
            first.register("slow");
            // the device is offline: the push is stored, then the node stops with it undelivered
            first.push("{\"to\":\"slow\",\"payload\":\"one\",\"qos\":1}");
            first.push("{\"to\":\"slow\",\"payload\":\"two\",\"qos\":1}");
        }
        try (StandaloneFixture second = new StandaloneFixture(dataDir)) {
            RecordingListener listener = new RecordingListener();
            second.client("slow", listener).start().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.messages.size() == 2);
            assertThat(listener.texts()).containsExactly("one", "two");
        }
    }
}
