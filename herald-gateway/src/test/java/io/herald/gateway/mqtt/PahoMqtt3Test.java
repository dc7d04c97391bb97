package io.herald.gateway.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.EventType;
import io.herald.core.limit.LoginThrottle;
import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Eclipse Paho's MQTT 3.1.1 client against the gateway's MQTT listener: identity, topics, QoS, sessions. */
class PahoMqtt3Test {
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

    /** Messages a client received, and whether (and why) it lost its connection. */
    static final class Received implements MqttCallback {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttMessage> raw = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();
        final List<String> topics = new CopyOnWriteArrayList<>();

        @Override
        public void connectionLost(Throwable cause) {
            lost.add(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            topics.add(topic);
            raw.add(message);
            messages.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        String next() throws InterruptedException {
            String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message within " + WAIT).isNotNull();
            return message;
        }
    }

    private MqttClient connect(String clientId, String password, boolean cleanSession, Received callback)
            throws MqttException {
        MqttClient client = new MqttClient(gateway.tcpUri(), clientId, new MemoryPersistence());
        gateway.closing(client, () -> close(client));
        // Paho's blocking calls wait for ever by default; a publish racing the gateway's close would hang the test
        client.setTimeToWait(WAIT.toMillis());
        if (callback != null) {
            client.setCallback(callback);
        }
        MqttConnectOptions options = options(clientId, password);
        options.setCleanSession(cleanSession);
        client.connect(options);
        return client;
    }

    /** MQTT 3.1.1 (not Paho's default, which falls back to 3.1); 3.1.1 sends a password only with a user name. */
    private static MqttConnectOptions options(String clientId, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(clientId);
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        options.setConnectionTimeout(10);
        return options;
    }

    @Test
    void receivesPushesAtTheirQosAndPublishesUpstreamAckedOnceArchived() throws Exception {
        String token = gateway.register("dev-1");
        Received received = new Received();
        MqttClient client = connect("dev-1", token, true, received);

        IMqttToken subscribed = client.subscribeWithResponse("devices/dev-1/messages", 1);
        assertThat(subscribed.getGrantedQos()).containsExactly(1);

        assertThat(gateway.push("dev-1", "hello", Qos.AT_LEAST_ONCE).online()).isEqualTo(1);
        assertThat(received.next()).isEqualTo("hello");
        MqttMessage first = received.raw.take();
        assertThat(first.getQos()).isEqualTo(1);
        assertThat(first.isDuplicate()).isFalse();
        gateway.push("dev-1", "fire and forget", Qos.AT_MOST_ONCE);
        assertThat(received.next()).isEqualTo("fire and forget");
        assertThat(received.raw.take().getQos()).isZero();
        assertThat(received.topics).containsOnly("devices/dev-1/messages");
        // the PUBACK removed the QoS 1 push from the store
        await().atMost(WAIT).until(() -> gateway.offline.countPending("dev-1", System.currentTimeMillis()) == 0);

        // publish() returns on PUBACK, which the gateway sends once the archive holds the message
        client.publish("devices/dev-1/up/json", "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(gateway.archived()).singleElement().satisfies(message -> {
            assertThat(message.clientId()).isEqualTo("dev-1");
            assertThat(message.contentType()).isEqualTo(ContentType.JSON);
            assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21.5}");
        });
        client.publish("devices/dev-1/up/text", "second".getBytes(StandardCharsets.UTF_8), 0, false);
        await().atMost(WAIT).until(() -> gateway.archived().size() == 2);
        List<UpstreamMessage> archived = gateway.archived();
        assertThat(archived.get(1).messageId()).as("each upstream message gets an id of its own")
                .isNotEqualTo(archived.get(0).messageId());
    }

    @Test
    void theDeviceSecretIsAPasswordToo() throws Exception {
        gateway.register("dev-2");
        Received received = new Received();
        connect("dev-2", MqttGateway.SECRET, true, received);

        gateway.push("dev-2", "by secret", Qos.AT_LEAST_ONCE);

        assertThat(received.next()).isEqualTo("by secret");
    }

    @Test
    void badCredentialsAndClientIdsAreRefusedWithTheirConnackCode() {
        gateway.register("dev-3");
        String othersToken = gateway.register("dev-4");

        assertThatThrownBy(() -> connect("dev-3", "wrong secret!", true, null)).isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThatThrownBy(() -> connect("dev-3", othersToken, true, null))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThatThrownBy(() -> connect("dev-3", null, true, null))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThatThrownBy(() -> connect("no spaces allowed", MqttGateway.SECRET, true, null))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_INVALID_CLIENT_ID);
        assertThat(gateway.gateway.connectionCount()).isZero();
    }

    @Test
    void wrongSecretsCountLikeFailedLoginsAndATokenStillConnects() throws Exception {
        String token = gateway.register("dev-11");
        for (int i = 0; i < LoginThrottle.DEFAULT_FAILURES_PER_CLIENT.max(); i++) {
            assertThatThrownBy(() -> connect("dev-11", "wrong secret!", true, null))
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        }

        // over the budget the secret is not even checked, the right one neither: MQTT 3.1.1's "server unavailable"
        assertThatThrownBy(() -> connect("dev-11", MqttGateway.SECRET, true, null))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_BROKER_UNAVAILABLE);
        Received received = new Received();
        connect("dev-11", token, true, received);
        gateway.push("dev-11", "tokens cannot be guessed", Qos.AT_LEAST_ONCE);
        assertThat(received.next()).isEqualTo("tokens cannot be guessed");
    }

    @Test
    void aPersistentSessionGetsWhatWasPushedWhileOfflineInOrderAndACleanOneDoesNot() throws Exception {
        String token = gateway.register("dev-5");
        MqttClient first = connect("dev-5", token, false, new Received());
        first.disconnect();
        await().atMost(WAIT).until(() -> gateway.gateway.connectionCount() == 0);
        for (String text : List.of("one", "two", "three")) {
            assertThat(gateway.push("dev-5", text, Qos.AT_LEAST_ONCE).stored()).isEqualTo(1);
        }

        Received received = new Received();
        MqttClient again = connect("dev-5", token, false, received);
        assertThat(List.of(received.next(), received.next(), received.next())).containsExactly("one", "two", "three");
        again.disconnect();
        await().atMost(WAIT).until(() -> gateway.gateway.connectionCount() == 0);

        gateway.push("dev-5", "stale", Qos.AT_LEAST_ONCE);
        Received clean = new Received();
        connect("dev-5", token, true, clean);
        gateway.push("dev-5", "live", Qos.AT_LEAST_ONCE);
        assertThat(clean.next()).as("a clean session discards what was stored before it").isEqualTo("live");
        await().atMost(WAIT).until(() -> gateway.offline.countPending("dev-5", System.currentTimeMillis()) == 0);
        assertThat(clean.messages).isEmpty();
    }

    @Test
    void onlyTheDevicesOwnTopicCanBeSubscribed() throws Exception {
        String token = gateway.register("dev-6");
        MqttClient client = connect("dev-6", token, true, new Received());

        IMqttToken answer = client.subscribeWithResponse(new String[] {"devices/dev-6/messages",
                "devices/other/messages", "devices/+/messages", "#"}, new int[] {0, 1, 1, 1});

        assertThat(answer.getGrantedQos()).containsExactly(0, 0x80, 0x80, 0x80);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void publishingToAnotherDevicesTopicClosesTheConnection() throws Exception {
        String token = gateway.register("dev-7");
        gateway.register("dev-8");
        Received received = new Received();
        MqttClient client = connect("dev-7", token, true, received);

        try {
            client.publish("devices/dev-8/up/text", "not mine".getBytes(StandardCharsets.UTF_8), 0, false);
        } catch (MqttException closedMeanwhile) {
            // the gateway may close the connection before Paho has finished with the QoS 0 send
        }

        assertThat(received.lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
        assertThat(gateway.archived()).isEmpty();
    }

    @Test
    void aSecondConnectionOfTheIdTakesOverAndTheFirstOnesWillIsReported() throws Exception {
        String token = gateway.register("dev-9");
        Received firstReceived = new Received();
        MqttClient first = new MqttClient(gateway.tcpUri(), "dev-9", new MemoryPersistence());
        gateway.closing(first, () -> close(first));
        first.setTimeToWait(WAIT.toMillis());
        first.setCallback(firstReceived);
        MqttConnectOptions options = options("dev-9", token);
        options.setWill("devices/dev-9/status", "offline".getBytes(StandardCharsets.UTF_8), 1, false);
        first.connect(options);

        Received secondReceived = new Received();
        connect("dev-9", token, true, secondReceived);

        assertThat(firstReceived.lost.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
        await().atMost(WAIT).until(() -> gateway.counter("herald.mqtt.wills") == 1);
        assertThat(gateway.events(EventType.DEVICE_WILL)).singleElement().satisfies(will -> {
            assertThat(will.clientId()).isEqualTo("dev-9");
            assertThat(will.details()).containsEntry("topic", "devices/dev-9/status")
                    .containsEntry("payload", Base64.getEncoder().encodeToString("offline".getBytes(UTF_8)))
                    .containsEntry("payloadBytes", 7)
                    .containsEntry("qos", 1).containsEntry("retain", false).containsEntry("delaySeconds", 0L)
                    .doesNotContainKey("contentType");
        });
        gateway.push("dev-9", "to the new one", Qos.AT_LEAST_ONCE);
        assertThat(secondReceived.next()).isEqualTo("to the new one");
        assertThat(gateway.gateway.connectionCount()).isEqualTo(1);
    }

    @Test
    void aDisconnectSendsNoWill() throws Exception {
        String token = gateway.register("dev-10");
        MqttClient client = new MqttClient(gateway.tcpUri(), "dev-10", new MemoryPersistence());
        gateway.closing(client, () -> close(client));
        client.setTimeToWait(WAIT.toMillis());
        MqttConnectOptions options = options("dev-10", token);
        options.setWill("devices/dev-10/status", "offline".getBytes(StandardCharsets.UTF_8), 0, false);
        client.connect(options);

        client.disconnect();

        await().atMost(WAIT).until(() -> gateway.gateway.connectionCount() == 0);
        assertThat(gateway.counter("herald.mqtt.wills")).isZero();
        assertThat(gateway.events(EventType.DEVICE_WILL)).isEmpty();
    }
}
