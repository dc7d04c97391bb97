package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.gateway.mqtt.MqttSettings;
import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT devices in a cluster (issue 13): two gateways with MQTT on, two API nodes, the archiver, on MariaDB. An MQTT
 * device is a device like any other: found through Redis by an API node it never talked to, taken over across
 * gateways, reached by a broadcast together with binary-protocol devices, and its upstream messages go through Kafka
 * to the archive. A delayed MQTT 5 will is dropped when the device came back on the other gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class MqttClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ClusterServices services;
    private ArchiveDatabase database;
    private TestCluster cluster;
    private TestDevices devices;
    private HttpApi apiA;
    private HttpApi apiB;
    private final List<MqttClient> mqttClients = new CopyOnWriteArrayList<>();
    private final List<org.eclipse.paho.mqttv5.client.MqttClient> mqtt5Clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startCluster(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        cluster = TestCluster.start(services, database.settings(), List.of("gw-m1", "gw-m2"),
                List.of(RoutingStrategies.ROUND_ROBIN, RoutingStrategies.ROUND_ROBIN), true, 0,
                settings -> settings.withMqtt(MqttSettings.onPort(0)));
        apiA = cluster.api(0);
        apiB = cluster.api(1);
        devices = new TestDevices();
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (MqttClient client : mqttClients) {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
            client.close(true);
        }
        for (org.eclipse.paho.mqttv5.client.MqttClient client : mqtt5Clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
            client.close(true);
        }
        Closing.inOrder(devices, cluster, database, services);
    }

    /** Pushes an MQTT client received, and whether it lost its connection. */
    private static final class Received implements MqttCallback {
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile Throwable lost;

        @Override
        public void connectionLost(Throwable cause) {
            lost = cause;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    /** An MQTT 3.1.1 device on {@code gatewayId}'s MQTT port, its device secret as password (no HTTP login). */
    private MqttClient connectMqtt(String clientId, String gatewayId, Received received) throws MqttException {
        int port = cluster.gateway(gatewayId).mqttPort();
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        mqttClients.add(client);
        client.setCallback(received);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(clientId);
        options.setPassword(HttpApi.SECRET.toCharArray());
        client.connect(options);
        await().atMost(WAIT).until(() -> apiB.device(clientId).path("gateway").asText().equals(gatewayId));
        return client;
    }

    @Test
    void anMqttDeviceOnOneGatewayGetsAPushThroughAnotherApiNodeAndItsUpstreamReachesTheArchive() throws Exception {
        apiA.register("mqtt-c1");
        Received received = new Received();
        MqttClient client = connectMqtt("mqtt-c1", "gw-m1", received);

        PushAnswer answer = apiB.push("{\"to\":\"mqtt-c1\",\"payload\":\"via api node B\",\"qos\":1}");

        assertThat(answer.online()).as(answer.body()).isEqualTo(1);
        await().atMost(WAIT).until(() -> received.messages.contains("via api node B"));
        await().atMost(WAIT).until(() -> apiB.device("mqtt-c1").get("pendingMessages").asInt() == 0);

        // publish() returns on PUBACK, which the gateway sends once Kafka has the message; the archiver stores it
        client.publish("devices/mqtt-c1/up/json", "{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(WAIT).until(() -> database.rows().stream().anyMatch(row -> row.clientId().equals("mqtt-c1")
                && new String(row.payload(), StandardCharsets.UTF_8).equals("{\"door\":\"open\"}")));
    }

    @Test
    void aSecondMqttConnectionOnTheOtherGatewayTakesTheSessionOver() throws Exception {
        apiA.register("mqtt-c2");
        Received first = new Received();
        connectMqtt("mqtt-c2", "gw-m1", first);

        Received second = new Received();
        connectMqtt("mqtt-c2", "gw-m2", second);

        await().atMost(WAIT).until(() -> first.lost != null);
        apiB.push("{\"to\":\"mqtt-c2\",\"payload\":\"to the newer one\",\"qos\":1}");
        await().atMost(WAIT).until(() -> second.messages.contains("to the newer one"));
        assertThat(first.messages).doesNotContain("to the newer one");
    }

    @Test
    void oneBroadcastReachesAnMqttDeviceAndABinaryProtocolDeviceOnce() throws Exception {
        apiA.register("mqtt-c3");
        Received mqtt = new Received();
        connectMqtt("mqtt-c3", "gw-m2", mqtt);
        Device binary = devices.connect("bin-c3", apiA);

        PushAnswer answer = apiB.push("{\"broadcast\":true,\"payload\":\"to every device\",\"qos\":1}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> mqtt.messages.contains("to every device")
                && binary.listener().countOf(answer.messageId()) == 1);
        // past the first resend interval: a copy resent for lack of an ack would show now
        Thread.sleep(NodeSettings.RETRY_INTERVAL.plusMillis(500).toMillis());
        assertThat(mqtt.messages.stream().filter("to every device"::equals)).hasSize(1);
        assertThat(binary.listener().countOf(answer.messageId())).isEqualTo(1);
    }

    @Test
    void aDelayedWillIsCancelledWhenTheDeviceComesBackOnTheOtherGateway() throws Exception {
        apiA.register("mqtt-c4");
        org.eclipse.paho.mqttv5.client.MqttClient first = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + cluster.gateway("gw-m1").mqttPort(), "mqtt-c4",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        mqtt5Clients.add(first);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setPassword(HttpApi.SECRET.getBytes(StandardCharsets.UTF_8));
        options.setWill("devices/mqtt-c4/status", new org.eclipse.paho.mqttv5.common.MqttMessage(
                "offline".getBytes(StandardCharsets.UTF_8)));
        MqttProperties willProperties = new MqttProperties();
        willProperties.setWillDelayInterval(2L);
        options.setWillMessageProperties(willProperties);
        first.connect(options);
        await().atMost(WAIT).until(() -> apiB.device("mqtt-c4").path("gateway").asText().equals("gw-m1"));

        // the same device on the other gateway: gw-m1 closes the first connection, whose will is then due in 2 s;
        // gw-m1 learns from Redis that the device is back (on gw-m2), and drops the will
        connectMqtt("mqtt-c4", "gw-m2", new Received());

        await().atMost(WAIT).until(() -> cluster.gatewayMetric("herald_mqtt_wills_cancelled_total") == 1);
        assertThat(cluster.gatewayMetric("herald_mqtt_wills_total")).isZero();
    }
}
