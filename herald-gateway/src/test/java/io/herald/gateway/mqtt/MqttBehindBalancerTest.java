package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.gateway.GatewaySettings;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.proxy.ProxySources;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT devices behind a TCP balancer that sends PROXY protocol headers (as the local cluster's nginx does): the
 * secret throttle counts each device's own address, so one device's wrong secrets do not lock out another behind the
 * same balancer. This test is the balancer (127.0.0.1, trusted) and writes the headers.
 */
class MqttBehindBalancerTest {
    private final MqttGateway gateway = new MqttGateway(GatewaySettings.defaults("gw-mqtt-proxy")
            .withAbuseLimits(AbuseLimits.DEFAULTS.withProxySources(ProxySources.of(List.of("127.0.0.1")))));

    MqttBehindBalancerTest() throws InterruptedException {
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void wrongSecretsAreCountedUnderTheDevicesAddressNotTheBalancers() throws Exception {
        gateway.register("meter-1");
        String guesser = "PROXY TCP4 203.0.113.66 192.0.2.1 40001 1883\r\n";
        // The budget per client id and address (10 in 5 minutes): spent by wrong secrets from one address.
        for (int i = 0; i < 10; i++) {
            assertThat(connect(guesser, "not-the-secret")).isEqualTo(
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(connect(guesser, MqttGateway.SECRET)).as("the guesser's address is throttled now")
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);

        // The device itself, behind the same balancer but from its own address, still gets in.
        assertThat(connect("PROXY TCP4 198.51.100.23 192.0.2.1 40002 1883\r\n", MqttGateway.SECRET))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }

    private MqttConnectReturnCode connect(String header, String password) throws Exception {
        try (RawMqttClient client = new RawMqttClient(gateway.gateway.mqttPort())) {
            client.sendBytes(header.getBytes(StandardCharsets.US_ASCII));
            client.send(RawMqttClient.connect(MqttVersion.MQTT_3_1_1, "meter-1", password, 60));
            return ((MqttConnAckMessage) client.read()).variableHeader().connectReturnCode();
        }
    }
}
