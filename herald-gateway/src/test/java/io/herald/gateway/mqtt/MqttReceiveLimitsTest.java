package io.herald.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.message.PushMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PUBLISH size {@link MqttReceiveLimits} computes is the size Netty's encoder writes for the gateway's PUBLISH. */
class MqttReceiveLimitsTest {
    private static final String CLIENT = "dev-ÿ-1";

    @ParameterizedTest
    @CsvSource({
            "TEXT, AT_LEAST_ONCE, 0, trace-1",
            "TEXT, AT_MOST_ONCE, 1, ",
            "BINARY, AT_LEAST_ONCE, 30, ",
            "JSON, AT_LEAST_ONCE, 60, t",
            "BINARY, AT_MOST_ONCE, 16300, ",
            "TEXT, AT_LEAST_ONCE, 16500, trace-with-more-characters",
            "BINARY, AT_LEAST_ONCE, 2100000, tr"})
    void theComputedSizeIsTheEncodedOne(ContentType contentType, Qos qos, int payloadBytes, String traceId) {
        byte[] payload = "p".repeat(payloadBytes).getBytes(StandardCharsets.UTF_8);
        long messageId = -2; // the largest unsigned id: the longest message-id property
        PushMessage push = new PushMessage(messageId, contentType, qos, payload, traceId, 1L, Long.MAX_VALUE);
        MqttReceiveLimits limits = MqttReceiveLimits.of(new MqttProperties(), CLIENT);

        assertThat(limits.packetBytes(push)).isEqualTo(encodedBytes(new MessageFrame(messageId, contentType, qos,
                false, traceId, 1L, payload)));
    }

    /** The bytes of the PUBLISH the gateway writes for {@code frame} on an MQTT 5 connection of {@link #CLIENT}. */
    private static long encodedBytes(MessageFrame frame) {
        MqttConnection mqtt = new MqttConnection();
        mqtt.connected(MqttVersion.MQTT_5, true, true, null);
        Object publish = new MqttOutbound(new MqttOutbound.ServerLimits(1 << 20, 256)).packetFor(frame, mqtt, CLIENT);
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        // the encoder learns the protocol version from a CONNECT it encodes
        encoder.writeOutbound(RawMqttClient.connect(MqttVersion.MQTT_5, CLIENT, "pw", 60));
        ((ByteBuf) encoder.readOutbound()).release();
        encoder.writeOutbound(publish);
        long bytes = 0;
        for (ByteBuf encoded = encoder.readOutbound(); encoded != null; encoded = encoder.readOutbound()) {
            bytes += encoded.readableBytes();
            encoded.release();
        }
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
