package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.EventType;
import io.herald.core.message.PushMessage;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Eclipse Paho's MQTT 5 client, over TCP and over WebSocket: properties, reason codes, sessions. */
class PahoMqtt5Test {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private MqttGateway gateway;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = new MqttGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static void close(MqttClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(100, 100);
        }
        client.close(true);
    }

    /** Messages a client received, and how the gateway ended its session. */
    static final class Received implements MqttCallback {
        final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }

        MqttMessage next() throws InterruptedException {
            MqttMessage message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message within " + WAIT).isNotNull();
            return message;
        }

        int disconnectReason() throws InterruptedException {
            MqttDisconnectResponse response = disconnects.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(response).as("disconnected within " + WAIT).isNotNull();
            return response.getReturnCode();
        }
    }

    private MqttClient connect(String uri, String clientId, String password, boolean cleanStart, Received callback)
            throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        gateway.closing(client, () -> close(client));
        client.setTimeToWait(WAIT.toMillis()); // Paho waits for ever by default
        client.setCallback(callback == null ? new Received() : callback);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        if (!cleanStart) {
            options.setSessionExpiryInterval(3600L);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8)); // MQTT 5 needs no user name for it
        }
        options.setConnectionTimeout(10);
        client.connect(options);
        return client;
    }

    private static Map<String, String> userProperties(MqttMessage message) {
        return message.getProperties().getUserProperties().stream()
                .collect(Collectors.toMap(UserProperty::getKey, UserProperty::getValue));
    }

    @Test
    void pushesCarryTheirMessageIdContentTypeAndTraceIdAsProperties() throws Exception {
        String token = gateway.register("five-1");
        Received received = new Received();
        MqttClient client = connect(gateway.tcpUri(), "five-1", token, true, received);

        PushMessage push = gateway.message("{\"on\":true}", Qos.AT_LEAST_ONCE, "trace-abc");
        gateway.push("five-1", push);

        MqttMessage message = received.next();
        assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"on\":true}");
        assertThat(message.getQos()).isEqualTo(1);
        assertThat(message.getProperties().getContentType()).isEqualTo("text");
        assertThat(message.getProperties().getPayloadFormat()).isTrue();
        assertThat(userProperties(message)).containsEntry("message-id", Long.toUnsignedString(push.messageId()))
                .containsEntry("trace-id", "trace-abc");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void theConnackSaysWhatTheGatewayOffersAndRefusalsCarryMqtt5ReasonCodes() throws Exception {
        String token = gateway.register("five-2");
        MqttClient client = connect(gateway.tcpUri(), "five-2", token, true, null);

        // Paho itself keeps wildcard filters back once the CONNACK said there are none (MqttRawPacketTest sends one)
        IMqttToken subscribed = client.subscribe(new String[] {"devices/five-2/messages", "devices/five-3/messages"},
                new int[] {1, 1});

        assertThat(subscribed.getReasonCodes()).containsExactly(1, 0x87);
        assertThatThrownBy(() -> connect(gateway.tcpUri(), "five-2", "not the secret", true, null))
                .isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(0x86);
        assertThatThrownBy(() -> connect(gateway.tcpUri(), "five-unknown", MqttGateway.SECRET, true, null))
                .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(0x86);
    }

    @Test
    void upstreamMessagesAreAckedOnceArchivedAndAnInvalidOneIsRefusedInItsPuback() throws Exception {
        gateway.register("five-4");
        MqttAsyncClient client = new MqttAsyncClient(gateway.tcpUri(), "five-4", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setPassword(MqttGateway.SECRET.getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(WAIT.toMillis());
        MqttMessage up = new MqttMessage("{\"t\":1}".getBytes(StandardCharsets.UTF_8));
        up.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setUserProperties(List.of(new UserProperty("trace-id", "up-trace-1")));
        up.setProperties(properties);

        client.publish("devices/five-4/up/json", up).waitForCompletion(WAIT.toMillis());

        assertThat(gateway.archived()).singleElement().satisfies(message -> {
            assertThat(message.clientId()).isEqualTo("five-4");
            assertThat(message.traceId()).isEqualTo("up-trace-1");
        });
        // a device that names its message ids gets a resent message archived once
        MqttMessage named = new MqttMessage("{\"t\":2}".getBytes(StandardCharsets.UTF_8));
        named.setQos(1);
        MqttProperties withId = new MqttProperties();
        withId.setUserProperties(List.of(new UserProperty("message-id", "18446744073709551615")));
        named.setProperties(withId);
        client.publish("devices/five-4/up/json", named).waitForCompletion(WAIT.toMillis());
        client.publish("devices/five-4/up/json", named).waitForCompletion(WAIT.toMillis());
        assertThat(gateway.archived()).hasSize(2).last()
                .satisfies(message -> assertThat(message.messageId()).isEqualTo(-1L)); // 2^64 - 1, unsigned
        MqttMessage broken = new MqttMessage("{\"t\":".getBytes(StandardCharsets.UTF_8));
        broken.setQos(1);
        IMqttToken refused = client.publish("devices/five-4/up/json", broken);
        try {
            refused.waitForCompletion(WAIT.toMillis());
        } catch (MqttException e) {
            assertThat(e.getReasonCode()).isEqualTo(0x80); // some Paho versions raise the refusal
        }
        assertThat(refused.isComplete()).isTrue();
        assertThat(gateway.archived()).hasSize(2);
        assertThat(client.isConnected()).isTrue();
        client.disconnect().waitForCompletion(WAIT.toMillis());
        client.close();
    }

    @Test
    void aTakeoverEndsTheOlderSessionWithSessionTakenOver() throws Exception {
        String token = gateway.register("five-6");
        Received first = new Received();
        connect(gateway.tcpUri(), "five-6", token, true, first);

        connect(gateway.tcpUri(), "five-6", token, true, null);

        assertThat(first.disconnectReason()).isEqualTo(0x8E);
    }

    @Test
    void overWebSocketAtTheMqttPathWithAPersistentSession() throws Exception {
        String token = gateway.register("five-7");
        MqttClient first = connect(gateway.webSocketUri(), "five-7", token, false, null);
        first.disconnect();
        await().atMost(WAIT).until(() -> gateway.gateway.connectionCount() == 0);
        gateway.push("five-7", "while away 1", Qos.AT_LEAST_ONCE);
        gateway.push("five-7", "while away 2", Qos.AT_LEAST_ONCE);

        Received received = new Received();
        connect(gateway.webSocketUri(), "five-7", token, false, received);

        assertThat(new String(received.next().getPayload(), StandardCharsets.UTF_8)).isEqualTo("while away 1");
        assertThat(new String(received.next().getPayload(), StandardCharsets.UTF_8)).isEqualTo("while away 2");
        assertThat(gateway.gateway.sessions().find("five-7")).get()
                .satisfies(session -> assertThat(session.transport()).isEqualTo("mqtt-websocket"));
    }

    @Test
    void theConnackSaysTheSessionDoesNotExpireWhenTheDeviceAskedForLess() throws Exception {
        String token = gateway.register("five-8");
        MqttConnectionOptions options = options(token);
        options.setSessionExpiryInterval(60L);
        MqttClient client = client(gateway.tcpUri(), "five-8");

        IMqttToken connected = client.connectWithResult(options);

        assertThat(connected.getResponseProperties().getSessionExpiryInterval()).isEqualTo(0xFFFF_FFFFL);
        client.disconnect();
        options.setSessionExpiryInterval(0xFFFF_FFFFL); // what Herald does anyway: nothing to say
        assertThat(client.connectWithResult(options).getResponseProperties().getSessionExpiryInterval()).isNull();
    }

    @Test
    void aWillWaitsForItsDelayThenBecomesADeviceWillEvent() throws Exception {
        String token = gateway.register("five-9");
        MqttAsyncClient client = new MqttAsyncClient(gateway.tcpUri(), "five-9", new MemoryPersistence());
        gateway.closing(client, () -> client.close(true));
        MqttConnectionOptions options = options(token);
        willWithDelay(options, "five-9", 2);
        client.connect(options).waitForCompletion(WAIT.toMillis());

        // MQTT 5's "disconnect with will message": the connection ends, the will is due after its delay
        client.disconnect(WAIT.toMillis(), null, null, 0x04, new MqttProperties()).waitForCompletion(WAIT.toMillis());
        long ended = System.nanoTime();
        await().atMost(WAIT).until(() -> gateway.gateway.connectionCount() == 0);

        await().atMost(WAIT).until(() -> !gateway.events(EventType.DEVICE_WILL).isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - ended)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(gateway.events(EventType.DEVICE_WILL)).singleElement().satisfies(will -> {
            assertThat(will.clientId()).isEqualTo("five-9");
            assertThat(will.details()).containsEntry("topic", "devices/five-9/status")
                    .containsEntry("payload", Base64.getEncoder().encodeToString(
                            "gone".getBytes(StandardCharsets.UTF_8)))
                    .containsEntry("payloadBytes", 4).containsEntry("contentType", "text/plain")
                    .containsEntry("qos", 1).containsEntry("delaySeconds", 2L);
        });
        assertThat(gateway.counter("herald.mqtt.wills")).isEqualTo(1);
    }

    @Test
    void aDeviceBackWithinTheWillDelayCancelsItsWill() throws Exception {
        String token = gateway.register("five-10");
        MqttClient first = client(gateway.tcpUri(), "five-10");
        MqttConnectionOptions options = options(token);
        willWithDelay(options, "five-10", 1);
        first.connect(options);

        connect(gateway.tcpUri(), "five-10", token, true, null); // takes over: the first connection ends

        await().atMost(WAIT).until(() -> gateway.counter("herald.mqtt.wills.cancelled") == 1);
        assertThat(gateway.counter("herald.mqtt.wills")).isZero();
        assertThat(gateway.events(EventType.DEVICE_WILL)).isEmpty();
    }

    private MqttClient client(String uri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        gateway.closing(client, () -> close(client));
        client.setTimeToWait(WAIT.toMillis());
        return client;
    }

    private static MqttConnectionOptions options(String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        return options;
    }

    private static void willWithDelay(MqttConnectionOptions options, String clientId, long delaySeconds) {
        MqttMessage will = new MqttMessage("gone".getBytes(StandardCharsets.UTF_8));
        will.setQos(1);
        options.setWill("devices/" + clientId + "/status", will);
        MqttProperties willProperties = new MqttProperties();
        willProperties.setWillDelayInterval(delaySeconds);
        willProperties.setContentType("text/plain");
        options.setWillMessageProperties(willProperties);
    }

    @Test
    void aLargeWillIsReportedWithItsLengthAndItsTopicCut() throws Exception {
        String token = gateway.register("five-11");
        MqttClient client = client(gateway.tcpUri(), "five-11");
        MqttConnectionOptions options = options(token);
        MqttMessage will = new MqttMessage(new byte[MqttConnection.Will.MAX_KEPT_PAYLOAD_BYTES + 1]);
        String topic = "devices/five-11/" + "s".repeat(MqttConnection.Will.MAX_KEPT_TOPIC_CHARS);
        options.setWill(topic, will);
        client.connect(options);

        connect(gateway.tcpUri(), "five-11", token, true, null); // takes over: the first connection's will is due

        await().atMost(WAIT).until(() -> !gateway.events(EventType.DEVICE_WILL).isEmpty());
        assertThat(gateway.events(EventType.DEVICE_WILL).get(0).details())
                .containsEntry("payloadBytes", MqttConnection.Will.MAX_KEPT_PAYLOAD_BYTES + 1)
                .containsEntry("topic", topic.substring(0, MqttConnection.Will.MAX_KEPT_TOPIC_CHARS) + "\u2026")
                .doesNotContainKey("payload");
    }
}
