package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;

/**
 * What one device said it can take, on top of the gateway's own limits: MQTT 5's Receive Maximum and Maximum Packet
 * Size (CONNECT properties). The binary protocol and MQTT 3.1.1 say nothing ({@link #NONE}). A {@link DownstreamQueue}
 * keeps at most {@link #receiveMaximum()} QoS 1 messages in flight, and sends nothing whose packet would be larger
 * than {@link #maxPacketBytes()}: it drops such a message as if delivered (MQTT 5, section 3.1.2.11.4).
 */
public interface DeviceReceiveLimits {
    /** No limits of the device's own: the gateway's apply. */
    DeviceReceiveLimits NONE = new DeviceReceiveLimits() {
        @Override
        public int receiveMaximum() {
            return Integer.MAX_VALUE;
        }

        @Override
        public long maxPacketBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public long packetBytes(PushMessage message) {
            return 0;
        }
    };

    /** Unacked QoS 1 messages the device accepts at once. */
    int receiveMaximum();

    /** The largest packet the device accepts, in bytes; {@link Long#MAX_VALUE} when it set no limit. */
    long maxPacketBytes();

    /** The size of the packet that would carry {@code message} to the device, in bytes. */
    long packetBytes(PushMessage message);
}
