package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.herald.core.tls.CertificateIssuer;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.gateway.GatewaySettings;
import io.herald.gateway.tls.DeviceTls;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** HiveMQ's MQTT client: MQTT 5 over TLS, MQTT 3.1.1 over WebSocket at /mqtt. */
class HiveMqClientTest {
    private static final long WAIT_SECONDS = 10;

    @Test
    void mqtt5OverTlsReceivesPushesAndPublishesUpstream() throws Exception {
        CertificateIssuer.Issued issued = CertificateIssuer.selfSigned(List.of("127.0.0.1"), Duration.ofDays(1));
        DeviceTls tls = DeviceTls.of(new TlsKeyMaterial(issued.privateKey(), List.of(issued.certificate())));
        try (MqttGateway gateway = new MqttGateway(GatewaySettings.defaults("gw-hive"), tls)) {
            gateway.register("hive-1");
            Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("hive-1")
                    .serverHost("127.0.0.1").serverPort(gateway.gateway.mqttPort())
                    .sslConfig().trustManagerFactory(trusting(issued)).applySslConfig().buildBlocking();
            client.connectWith().simpleAuth().password(MqttGateway.SECRET.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                // the client registers the flow above on its own thread: a SUBACK afterwards shows it is in place
                client.subscribeWith().topicFilter("devices/hive-1/messages").qos(MqttQos.AT_LEAST_ONCE).send();
                gateway.push("hive-1", "over tls", Qos.AT_LEAST_ONCE);

                Optional<Mqtt5Publish> received = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(received).get().satisfies(publish -> {
                    assertThat(publish.getTopic().toString()).isEqualTo("devices/hive-1/messages");
                    assertThat(publish.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
                    assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("over tls");
                    assertThat(publish.getContentType()).get().hasToString("text");
                });
            }
            client.publishWith().topic("devices/hive-1/up/binary").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1, 2, 3}).send();
            assertThat(gateway.archived()).singleElement().satisfies(message -> {
                assertThat(message.contentType()).isEqualTo(ContentType.BINARY);
                assertThat(message.payload()).containsExactly(1, 2, 3);
            });
            assertThatThrownBy(() -> MqttClient.builder().useMqttVersion5().identifier("hive-1")
                    .serverHost("127.0.0.1").serverPort(gateway.gateway.mqttPort())
                    .sslConfig().trustManagerFactory(trusting(issued)).applySslConfig().buildBlocking()
                    .connectWith().simpleAuth().password(new byte[] {'n', 'o', 'p', 'e'}).applySimpleAuth().send())
                    .isInstanceOf(Mqtt5ConnAckException.class)
                    .extracting(e -> ((Mqtt5ConnAckException) e).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            client.disconnect();
        }
    }

    @Test
    void mqtt311OverWebSocketSharesTheGatewaysBroadcastWithOtherDevices() throws Exception {
        try (MqttGateway gateway = new MqttGateway()) {
            String token = gateway.register("hive-2");
            Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier("hive-2")
                    .serverHost("127.0.0.1").serverPort(gateway.gateway.wsPort())
                    .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
            client.connectWith().simpleAuth().username("hive-2").password(token.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter("devices/hive-2/messages").qos(MqttQos.AT_LEAST_ONCE).send();
                gateway.broadcast("to everyone");

                Optional<Mqtt3Publish> received = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(received).get().satisfies(publish -> {
                    assertThat(publish.getTopic().toString()).isEqualTo("devices/hive-2/messages");
                    assertThat(publish.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
                    assertThat(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("to everyone");
                });
            }
            client.disconnect();
        }
    }

    private static TrustManagerFactory trusting(CertificateIssuer.Issued issued) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("gateway", issued.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
