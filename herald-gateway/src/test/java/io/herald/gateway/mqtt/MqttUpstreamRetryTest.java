package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.gateway.GatewaySettings;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.limit.UpstreamRate;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An upstream message the gateway does not take now (ACK RETRY: here the upstream rate limit) has no MQTT answer:
 * the connection is closed with the PUBLISH unacknowledged, for the device to resend it when it reconnects. (A message
 * still being handled at that moment is archived without its PUBACK reaching the device, which resends it too:
 * at least once, as for every unacknowledged PUBLISH.)
 */
class MqttUpstreamRetryTest {

    private static MqttPublishMessage publish(String clientId, int packetId) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false,
                0), new MqttPublishVariableHeader("devices/" + clientId + "/up/text", packetId,
                MqttProperties.NO_PROPERTIES), Unpooled.copiedBuffer("reading " + packetId, StandardCharsets.UTF_8));
    }

    @Test
    void aQos1MessageOverTheRateLimitClosesTheConnectionWithoutItsPuback() throws Exception {
        GatewaySettings oneMessageASecond = GatewaySettings.defaults("gw-rate").withAbuseLimits(AbuseLimits.OFF
                .withUpstreamRate(new UpstreamRate(1, 1, 0, 0, 0)));
        try (MqttGateway gateway = new MqttGateway(oneMessageASecond)) {
            String token = gateway.register("rate-1");
            try (RawMqttClient client = new RawMqttClient(gateway.gateway.mqttPort())) {
                client.send(RawMqttClient.connect(MqttVersion.MQTT_5, "rate-1", token, 60));
                assertThat(((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

                client.send(publish("rate-1", 1), publish("rate-1", 2));

                // the second is refused at once, while the first may still be on its way to the archive
                MqttMessage disconnect = client.read();
                if (disconnect.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                    assertThat(((MqttMessageIdVariableHeader) disconnect.variableHeader()).messageId()).isEqualTo(1);
                    disconnect = client.read();
                }
                assertThat(disconnect.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
                assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
                        .isEqualTo((byte) 0x89); // server busy
                assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).properties()
                        .getProperty(MqttProperties.REASON_STRING).value().toString()).contains("rate limited");
                assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.archived().size() == 1);
            assertThat(gateway.archived()).singleElement()
                    .satisfies(message -> assertThat(message.payload()).asString().isEqualTo("reading 1"));
        }
    }
}
