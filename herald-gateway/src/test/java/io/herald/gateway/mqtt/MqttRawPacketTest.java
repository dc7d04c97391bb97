package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.gateway.GatewaySettings;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packets real clients do not send, byte-exact, against the gateway's MQTT listener: what is refused and how (docs/mqtt.md,
 * "What is refused"), the packet size limit before any body byte, the keepalive, packets right behind CONNECT.
 */
class MqttRawPacketTest {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static MqttGateway gateway;

    @BeforeAll
    static void start() throws InterruptedException {
        gateway = new MqttGateway(GatewaySettings.defaults("gw-raw").withTimings(Duration.ofSeconds(3),
                Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static RawMqttClient client() throws Exception {
        return new RawMqttClient(gateway.gateway.mqttPort());
    }

    /** A connected MQTT 5 device; its CONNACK is read. */
    private static RawMqttClient connected5(String clientId) throws Exception {
        String token = gateway.register(clientId);
        RawMqttClient client = client().send(RawMqttClient.connect(MqttVersion.MQTT_5, clientId, token, 60));
        MqttConnAckMessage connack = (MqttConnAckMessage) client.read();
        assertThat(connack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return client;
    }

    private static int disconnectReason(MqttMessage packet) {
        assertThat(packet).isNotNull();
        assertThat(packet.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        return ((MqttReasonCodeAndPropertiesVariableHeader) packet.variableHeader()).reasonCode() & 0xFF;
    }

    private static MqttPublishMessage publish(String topic, MqttQoS qos, boolean retain, int packetId) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, retain, 0),
                new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
                Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));
    }

    @Test
    void theConnackOfMqtt5TellsWhatTheGatewayOffers() throws Exception {
        String token = gateway.register("raw-1");
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "raw-1", token, 0));
            MqttConnAckMessage connack = (MqttConnAckMessage) client.read();

            MqttProperties properties = connack.variableHeader().properties();
            assertThat(properties.getProperty(MqttProperties.MAXIMUM_QOS).value()).isEqualTo(1);
            assertThat(properties.getProperty(MqttProperties.RETAIN_AVAILABLE).value()).isEqualTo(0);
            assertThat(properties.getProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE).value()).isEqualTo(0);
            assertThat(properties.getProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE).value()).isEqualTo(0);
            assertThat(properties.getProperty(MqttProperties.MAXIMUM_PACKET_SIZE).value())
                    .isEqualTo(65_536 + MqttDevices.PACKET_OVERHEAD_BYTES + 5);
            // keepalive 0 asked for none: an MQTT 5 device is told the gateway's heartbeat instead
            assertThat(properties.getProperty(MqttProperties.SERVER_KEEP_ALIVE).value()).isEqualTo(30);
            assertThat(connack.variableHeader().isSessionPresent()).isFalse();
        }
    }

    @Test
    void aConnectionMustBeginWithConnect() throws Exception {
        try (RawMqttClient client = client()) {
            client.send(MqttMessage.PINGREQ);

            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void mqtt31AndUnknownProtocolLevelsAreRefusedWithUnacceptableProtocolVersion() throws Exception {
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1, "raw-2", "whatever", 60));
            assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
        try (RawMqttClient client = client()) {
            // CONNECT, protocol "MQTT" level 6, clean session, keepalive 60, client id "x"
            client.sendBytes(new byte[] {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 6, 0b0000_0010, 0, 60, 0, 1, 'x'});
            assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        }
    }

    @Test
    void anEmptyClientIdIsRejected() throws Exception {
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "", "whatever-secret", 60));

            assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void anOversizedPacketIsRefusedFromItsHeaderBeforeAnyBodyByte() throws Exception {
        try (RawMqttClient client = connected5("raw-3")) {
            // PUBLISH QoS 0 announcing 1,048,576 bytes (remaining length 0x80 0x80 0x40); no body follows
            client.sendBytes(new byte[] {0x30, (byte) 0x80, (byte) 0x80, 0x40});

            assertThat(disconnectReason(client.read())).isEqualTo(0x95); // packet too large
            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
        try (RawMqttClient client = client()) {
            // a CONNECT announcing 200 MB, before the device is anyone: closed at once
            client.sendBytes(new byte[] {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x60});
            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void qos2RetainedAndForeignPublishesEndTheSessionWithTheirReason() throws Exception {
        try (RawMqttClient client = connected5("raw-4")) {
            client.send(publish("devices/raw-4/up/text", MqttQoS.EXACTLY_ONCE, false, 1));
            assertThat(disconnectReason(client.read())).isEqualTo(0x9B); // QoS not supported
        }
        try (RawMqttClient client = connected5("raw-5")) {
            client.send(publish("devices/raw-5/up/text", MqttQoS.AT_MOST_ONCE, true, 0));
            assertThat(disconnectReason(client.read())).isEqualTo(0x9A); // retain not supported
        }
        try (RawMqttClient client = connected5("raw-6")) {
            client.send(publish("devices/raw-4/up/text", MqttQoS.AT_LEAST_ONCE, false, 1));
            assertThat(disconnectReason(client.read())).isEqualTo(0x87); // not authorized
        }
        try (RawMqttClient client = connected5("raw-7")) {
            client.send(publish("devices/raw-7/up/spreadsheet", MqttQoS.AT_LEAST_ONCE, false, 1));
            assertThat(disconnectReason(client.read())).isEqualTo(0x87);
        }
        assertThat(gateway.archived()).noneMatch(message -> message.clientId().startsWith("raw-"));
    }

    @Test
    void wildcardsSharedSubscriptionsAndUnsubscribingTheOwnTopicAreRefused() throws Exception {
        try (RawMqttClient client = connected5("raw-8")) {
            client.send(MqttMessageBuilders.subscribe().messageId(7)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/raw-8/messages")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/raw-8/#")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/devices/raw-8/messages")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/raw-9/messages").build());
            MqttSubAckMessage subAck = (MqttSubAckMessage) client.read();
            assertThat(subAck.variableHeader().messageId()).isEqualTo(7);
            assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0xA2, 0x9E, 0x87);

            client.send(MqttMessageBuilders.unsubscribe().messageId(8).addTopicFilter("devices/raw-8/messages")
                    .addTopicFilter("devices/raw-9/messages").build());
            MqttUnsubAckMessage unsubAck = (MqttUnsubAckMessage) client.read();
            assertThat(unsubAck.payload().unsubscribeReasonCodes()).containsExactly((short) 0x83, (short) 0x11);
        }
    }

    @Test
    void packetsRightBehindConnectAreAnsweredOnceTheConnackIsOut() throws Exception {
        String token = gateway.register("raw-10");
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "raw-10", token, 60),
                    MqttMessageBuilders.subscribe().messageId(3)
                            .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/raw-10/messages").build(),
                    MqttMessage.PINGREQ);

            assertThat(client.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
            assertThat(((MqttSubAckMessage) client.read()).payload().grantedQoSLevels()).containsExactly(1);
            assertThat(client.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterOneAndAHalfKeepalives() throws Exception {
        String token = gateway.register("raw-11");
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "raw-11", token, 1));
            assertThat(client.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
            long connectedAt = System.nanoTime();

            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - connectedAt)).isGreaterThanOrEqualTo(
                    Duration.ofMillis(1_400));
        }
    }

    @Test
    void aConnectionThatNeverConnectsIsClosedAtTheAuthTimeout() throws Exception {
        try (RawMqttClient client = client()) {
            assertThat(client.closedWithin(CLOSE_WAIT)).isTrue();
        }
    }
}
