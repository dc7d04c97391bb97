package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/push/batch} end to end on a standalone node (H2 file store, real sockets): every device gets
 * its messages of the batch in the batch's order, the connected ones live and an offline one from the store when
 * it connects, although the batch hands messages to different devices over concurrently.
 */
class BatchPushTest extends StandaloneNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGES = 300;

    @Test
    void eachDeviceReceivesItsMessagesOfABatchInOrder() throws Exception {
        herald.register("batch-c");
        Map<String, List<String>> expected = Map.of("batch-a", new ArrayList<>(), "batch-b", new ArrayList<>(),
                "batch-c", new ArrayList<>());
        StringJoiner messages = new StringJoiner(",", "{\"messages\":[", "]}");
        for (int i = 0; i < MESSAGES; i++) {
            String payload = "m" + i;
            if (i % 10 == 9) { // now and then one message to two devices, which waits for both
                messages.add("{\"to\":[\"batch-a\",\"batch-c\"],\"payload\":\"" + payload + "\"}");
                expected.get("batch-a").add(payload);
                expected.get("batch-c").add(payload);
            } else {
                String to = List.of("batch-a", "batch-b", "batch-c").get(i % 3);
                messages.add("{\"to\":\"" + to + "\",\"payload\":\"" + payload + "\",\"qos\":1}");
                expected.get(to).add(payload);
            }
        }
        messages.add("{\"to\":\"not a valid id\",\"payload\":\"x\"}");

        try (Socket a = authenticatedDevice("batch-a"); Socket b = authenticatedDevice("batch-b")) {
            HttpResponse<String> response = herald.post("/api/v1/push/batch", messages.toString(),
                    "Authorization", "Bearer " + StandaloneFixture.API_KEY);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode results = JSON.readTree(response.body()).get("results");
            assertThat(results).hasSize(MESSAGES + 1);
            assertThat(results.get(0).get("online").asInt()).isEqualTo(1);
            assertThat(results.get(2).get("stored").asInt()).as("batch-c is offline").isEqualTo(1);
            assertThat(results.get(MESSAGES).at("/error/code").asText()).isEqualTo("invalid_client_id");

            assertThat(receive(a, expected.get("batch-a").size())).isEqualTo(expected.get("batch-a"));
            assertThat(receive(b, expected.get("batch-b").size())).isEqualTo(expected.get("batch-b"));
        }
        try (Socket c = authenticatedDevice("batch-c")) {
            assertThat(receive(c, expected.get("batch-c").size())).isEqualTo(expected.get("batch-c"));
        }
    }

    /** Reads {@code count} messages, acking each, and returns their payloads in arrival order. */
    private static List<String> receive(Socket device, int count) throws Exception {
        List<String> payloads = new ArrayList<>();
        while (payloads.size() < count) {
            Frame frame = SocketFrames.read(device);
            if (frame instanceof MessageFrame message) {
                payloads.add(new String(message.payload(), StandardCharsets.UTF_8));
                SocketFrames.write(device, AckFrame.ok(message.messageId()));
            }
        }
        return payloads;
    }

    private Socket authenticatedDevice(String clientId) throws Exception {
        if (!clientId.equals("batch-c")) {
            herald.register(clientId);
        }
        HttpResponse<String> login = herald.post("/api/v1/login", "{\"clientId\":\"" + clientId
                + "\",\"secret\":\"" + StandaloneFixture.SECRET + "\"}");
        String token = JSON.readTree(login.body()).get("token").asText();
        Socket device = SocketFrames.connect(herald.node.tcpPort());
        SocketFrames.write(device, new AuthFrame(token));
        assertThat(SocketFrames.read(device)).isInstanceOf(AuthOkFrame.class);
        return device;
    }
}
