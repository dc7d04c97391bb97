package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.HeraldClient;
import io.herald.client.SendResult;
import io.herald.client.Transport;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** End to end over real sockets: HTTP API, gateway, SDK, embedded H2. */
class DeviceFlowTest extends StandaloneNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void registerLoginConnectPushReceiveAck() throws Exception {
        RecordingListener listener = new RecordingListener();
        HeraldClient device = herald.client("thermo-1", listener);
        device.start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        HttpResponse<String> response = herald.push(
                "{\"to\":\"thermo-1\",\"contentType\":\"text\",\"payload\":\"set 21C\",\"qos\":1}",
                "X-Trace-Id", "trace-e2e-1");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("online").asInt()).isEqualTo(1);
        assertThat(body.get("traceId").asText()).isEqualTo("trace-e2e-1");
        await().atMost(WAIT).until(() -> listener.messages.size() == 1);
        assertThat(listener.messages.get(0).payloadAsString()).isEqualTo("set 21C");
        assertThat(listener.messages.get(0).traceId()).isEqualTo("trace-e2e-1");
        assertThat(listener.messages.get(0).qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(Long.toString(listener.messages.get(0).messageId())).isEqualTo(body.get("messageId").asText());
        // the device acked: nothing is left pending, and a short wait brings no redelivery
        await().atMost(WAIT).until(() -> pendingMessages("thermo-1") == 0);
        JsonNode info = JSON.readTree(herald.get("/api/v1/devices/thermo-1").body());
        assertThat(info.get("online").asBoolean()).isTrue();
        assertThat(info.get("transport").asText()).isEqualTo("tcp");
        assertThat(listener.messages).hasSize(1);
    }

    @Test
    void qos1PushToOfflineDeviceIsDeliveredWhenItConnects() throws Exception {
        herald.register("sleepy");
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> response = herald.push(
                    "{\"to\":[\"sleepy\"],\"payload\":\"wake " + i + "\",\"qos\":1,\"ttlSeconds\":600}");
            assertThat(JSON.readTree(response.body()).get("stored").asInt()).isEqualTo(1);
        }
        assertThat(pendingMessages("sleepy")).isEqualTo(3);

        RecordingListener listener = new RecordingListener();
        herald.client("sleepy", listener).start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> listener.messages.size() == 3);
        assertThat(listener.texts()).containsExactly("wake 1", "wake 2", "wake 3");
        await().atMost(WAIT).until(() -> pendingMessages("sleepy") == 0);
    }

    @Test
    void secondLoginTakesOverAndTheFirstClientIsToldWhy() throws Exception {
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        HeraldClient a = herald.client("phone", first);
        a.start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        herald.client("phone", second).start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> first.kicks.size() == 1);
        assertThat(first.kicks.get(0)).contains("taken over");
        herald.push("{\"to\":\"phone\",\"payload\":\"to the new one\"}");
        await().atMost(WAIT).until(() -> second.messages.size() == 1);
        assertThat(first.messages).isEmpty();
        assertThat(a.isConnected()).isFalse();
    }

    @Test
    void upstreamMessagesReachCustomServiceLoaderHandlerAndTheArchive() throws Exception {
        RecordingBinaryHandler.SEEN.clear();
        HeraldClient device = herald.client("logger-7", new RecordingListener());
        device.start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        SendResult binary = device.send(ContentType.BINARY, new byte[] {1, 2, 3}).get(10,
                java.util.concurrent.TimeUnit.SECONDS);
        device.send(ContentType.TEXT, "hello up".getBytes(StandardCharsets.UTF_8))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(RecordingBinaryHandler.SEEN).singleElement().satisfies(m -> {
            assertThat(m.clientId()).isEqualTo("logger-7");
            assertThat(m.messageId()).isEqualTo(binary.messageId());
            assertThat(m.payload()).containsExactly(1, 2, 3);
        });
        JsonNode archived = JSON.readTree(herald.get("/api/v1/devices/logger-7/messages?limit=10").body());
        assertThat(archived.get("messages")).hasSize(2);
        assertThat(archived.get("messages").get(0).get("payload").asText()).isEqualTo("hello up");
        assertThat(archived.get("messages").get(1).get("payloadBase64").asText()).isEqualTo("AQID");
    }

    @Test
    void malformedJsonUpstreamIsRejectedNotStored() throws Exception {
        HeraldClient device = herald.client("json-dev", new RecordingListener());
        device.start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(device.send(ContentType.JSON, "{broken".getBytes(StandardCharsets.UTF_8)))
                .failsWithin(WAIT);
        assertThat(device.isConnected()).isTrue();
        JsonNode archived = JSON.readTree(herald.get("/api/v1/devices/json-dev/messages").body());
        assertThat(archived.get("messages")).isEmpty();
    }

    @Test
    void webSocketDeviceReceivesPushes() throws Exception {
        RecordingListener listener = new RecordingListener();
        herald.client("browser-1", listener, Transport.WEBSOCKET).start()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        herald.push("{\"to\":\"browser-1\",\"contentType\":\"json\",\"payload\":\"{\\\"a\\\":1}\"}");

        await().atMost(WAIT).until(() -> listener.messages.size() == 1);
        assertThat(listener.messages.get(0).contentType()).isEqualTo(ContentType.JSON);
        assertThat(listener.messages.get(0).payloadAsString()).isEqualTo("{\"a\":1}");
        assertThat(JSON.readTree(herald.get("/api/v1/devices/browser-1").body()).get("transport").asText())
                .isEqualTo("websocket");
    }

    @Test
    void operatorKickEndsTheSession() throws Exception {
        RecordingListener listener = new RecordingListener();
        herald.client("kickme", listener).start().get(10, java.util.concurrent.TimeUnit.SECONDS);

        HttpResponse<String> response = herald.delete("/api/v1/devices/kickme/session");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("kicked").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> listener.kicks.size() == 1);
        await().atMost(WAIT).until(() ->
                !JSON.readTree(herald.get("/api/v1/devices/kickme").body()).get("online").asBoolean());
    }

    @Test
    void metricsCountWhatHappened() throws Exception {
        herald.client("metered", new RecordingListener()).start().get(10, java.util.concurrent.TimeUnit.SECONDS);
        herald.push("{\"to\":\"metered\",\"payload\":\"m\"}");

        String metrics = herald.get("/metrics").body();

        assertThat(metrics).contains("herald_connections", "herald_frames_in_total", "herald_frames_out_total",
                "herald_device_auths_total", "jvm_memory_used_bytes", "herald_netty_direct_memory_used_bytes");
    }

    private int pendingMessages(String clientId) throws Exception {
        return JSON.readTree(herald.get("/api/v1/devices/" + clientId).body()).get("pendingMessages").asInt();
    }
}
