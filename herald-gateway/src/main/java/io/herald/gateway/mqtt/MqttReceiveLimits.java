package io.herald.gateway.mqtt;

import io.herald.core.message.PushMessage;
import io.herald.gateway.delivery.DeviceReceiveLimits;
import io.herald.protocol.Qos;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.List;

/**
 * An MQTT 5 device's Receive Maximum and Maximum Packet Size (CONNECT properties 0x21 and 0x27), for its delivery
 * queue. The size of a push's PUBLISH is computed as Netty's encoder would write it (MQTT 5, section 3.3): the fixed
 * header (one byte and the remaining length as a variable byte integer), the topic, the packet id of QoS 1, the
 * properties of {@link MqttOutbound#publishProperties} and the payload. Nothing is encoded to learn it.
 *
 * @param receiveMaximum unacked QoS 1 PUBLISHes the device accepts, 1 to 65,535 (65,535 when it sent none)
 * @param maxPacketBytes the largest packet it accepts, 1 to 2^32 - 1, or {@link Long#MAX_VALUE} when it sent none
 */
record MqttReceiveLimits(int receiveMaximum, long maxPacketBytes, String topic) implements DeviceReceiveLimits {
    /** MQTT 5's Receive Maximum when the CONNECT has none. */
    static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;

    /**
     * The limits of an MQTT 5 CONNECT's properties for the device's topic; null when a value is 0, which MQTT 5
     * calls a protocol error.
     */
    static MqttReceiveLimits of(MqttProperties connect, String clientId) {
        MqttProperties.MqttProperty<?> receive = connect.getProperty(MqttProperties.RECEIVE_MAXIMUM);
        MqttProperties.MqttProperty<?> packet = connect.getProperty(MqttProperties.MAXIMUM_PACKET_SIZE);
        int receiveMaximum = receive == null ? DEFAULT_RECEIVE_MAXIMUM : (Integer) receive.value();
        // a four-byte integer: Netty reads it into an int, so 2^31 and more come out negative
        long maxPacketBytes = packet == null ? Long.MAX_VALUE : Integer.toUnsignedLong((Integer) packet.value());
        if (receiveMaximum == 0 || maxPacketBytes == 0) {
            return null;
        }
        return new MqttReceiveLimits(receiveMaximum, maxPacketBytes, MqttTopics.messages(clientId));
    }

    @Override
    public long packetBytes(PushMessage message) {
        long properties = propertiesBytes(
                MqttOutbound.publishProperties(message.contentType(), message.messageId(), message.traceId()));
        long remaining = stringBytes(topic) + (message.qos() == Qos.AT_LEAST_ONCE ? 2 : 0)
                + variableByteIntegerBytes(properties) + properties + message.payload().length;
        return 1 + variableByteIntegerBytes(remaining) + remaining;
    }

    /** Each property: its identifier (one byte, all are below 128), then its value. */
    private static long propertiesBytes(MqttProperties properties) {
        long bytes = 0;
        for (MqttProperties.MqttProperty<?> property : properties.listAll()) {
            Object value = property.value();
            if (value instanceof String text) {
                bytes += 1 + stringBytes(text);
            } else if (value instanceof MqttProperties.StringPair pair) {
                bytes += 1 + stringBytes(pair.key) + stringBytes(pair.value);
            } else if (value instanceof List<?> pairs) {
                for (Object pair : pairs) { // the user properties, each with its identifier
                    bytes += 1 + stringBytes(((MqttProperties.StringPair) pair).key)
                            + stringBytes(((MqttProperties.StringPair) pair).value);
                }
            } else if (property.propertyId() == MqttProperties.PAYLOAD_FORMAT_INDICATOR) {
                bytes += 1 + 1;
            } else {
                throw new IllegalStateException("no size known for PUBLISH property " + property.propertyId());
            }
        }
        return bytes;
    }

    /** A UTF-8 string: its length in two bytes, then its bytes. */
    private static long stringBytes(String text) {
        return 2 + ByteBufUtil.utf8Bytes(text);
    }

    /** MQTT's variable byte integer: 7 bits per byte. */
    private static int variableByteIntegerBytes(long value) {
        int bytes = 1;
        for (long rest = value >>> 7; rest > 0; rest >>>= 7) {
            bytes++;
        }
        return bytes;
    }
}
