package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.HeraldClient;
import io.herald.client.MessageRejectedException;
import io.herald.client.SendResult;
import io.herald.protocol.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional chat relay handler on a real standalone node: devices message each other through it, over sockets. */
class ChatRelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;
    /** One node for the class (each test has its own devices): a node per test would add seconds each. */
    private static StandaloneFixture herald;

    @BeforeAll
    static void start() throws Exception {
        herald = StandaloneFixture.withHandlerSettings(dataDir, Map.of("chat-relay", "on"));
    }

    @AfterAll
    static void stop() {
        herald.close();
    }

    @Test
    void aChatMessageReachesItsRecipientFromItsAuthenticatedSender() throws Exception {
        RecordingListener bobHears = new RecordingListener();
        HeraldClient alice = started("alice", new RecordingListener());
        started("bob", bobHears);

        SendResult sent = send(alice, "{\"type\":\"chat\",\"to\":\"bob\",\"text\":\"hello bob\",\"from\":\"mallory\"}");

        assertThat(sent.transmissions()).isEqualTo(1);
        await().atMost(WAIT).until(() -> bobHears.messages.size() == 1);
        assertThat(bobHears.messages.get(0).contentType()).isEqualTo(ContentType.JSON);
        JsonNode chat = JSON.readTree(bobHears.messages.get(0).payloadAsString());
        assertThat(chat.get("type").asText()).isEqualTo("chat");
        assertThat(chat.get("from").asText()).as("the sender's own id, whatever it wrote").isEqualTo("alice");
        assertThat(chat.get("text").asText()).isEqualTo("hello bob");
        assertThat(chat.get("sentAt").asLong()).isPositive();
    }

    @Test
    void anOfflineRecipientGetsTheMessageWhenItConnects() throws Exception {
        HeraldClient alice = started("alice-2", new RecordingListener());
        herald.register("carol");

        send(alice, "{\"type\":\"chat\",\"to\":\"carol\",\"text\":\"call me\"}");

        RecordingListener carolHears = new RecordingListener();
        started("carol", carolHears);
        await().atMost(WAIT).until(() -> carolHears.messages.size() == 1);
        assertThat(JSON.readTree(carolHears.messages.get(0).payloadAsString()).get("text").asText())
                .isEqualTo("call me");
    }

    @Test
    void unknownRecipientsAndMalformedChatsAreRejected() throws Exception {
        HeraldClient alice = started("alice-3", new RecordingListener());

        assertThat(rejection(alice, "{\"type\":\"chat\",\"to\":\"nobody\",\"text\":\"hi\"}"))
                .contains("no device 'nobody'");
        assertThat(rejection(alice, "{\"type\":\"chat\",\"text\":\"hi\"}")).contains("\"to\"");
        assertThat(rejection(alice, "{\"type\":\"chat\",\"to\":\"../x\",\"text\":\"hi\"}")).contains("clientId");
        assertThat(rejection(alice, "{\"type\":\"chat\",\"to\":\"alice-3\",\"text\":\"\"}")).contains("\"text\"");
        assertThat(rejection(alice, "{\"type\":\"chat\",\"to\":\"alice-3\",\"text\":\"" + "x".repeat(4097) + "\"}"))
                .contains("longer than 4096");
    }

    @Test
    void otherJsonMessagesPassUntouched() throws Exception {
        RecordingListener aliceHears = new RecordingListener();
        HeraldClient alice = started("alice-4", aliceHears);

        send(alice, "{\"temperature\":21.5,\"to\":\"alice-4\"}");
        send(alice, "[1,2,3]");

        assertThat(JSON.readTree(herald.get("/api/v1/devices/alice-4/messages").body()).get("messages")).hasSize(2);
        assertThat(aliceHears.messages).isEmpty();
    }

    private HeraldClient started(String clientId, RecordingListener listener) throws Exception {
        HeraldClient client = herald.client(clientId, listener);
        client.start().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static SendResult send(HeraldClient client, String json) throws Exception {
        return client.send(ContentType.JSON, json.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static String rejection(HeraldClient client, String json) throws Exception {
        try {
            send(client, json);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MessageRejectedException.class);
            return e.getCause().getMessage();
        }
        throw new AssertionError("not rejected: " + json);
    }
}
