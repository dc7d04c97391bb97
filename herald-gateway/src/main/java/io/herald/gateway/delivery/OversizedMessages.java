package io.herald.gateway.delivery;

import static io.herald.gateway.delivery.TraceLogging.withTrace;

import io.herald.core.message.PushMessage;
import io.herald.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule for a message larger than a device accepts (MQTT 5's Maximum Packet Size): the device could never take
 * it, so storing or resending it would only block its queue; it is dropped as if delivered, logged and counted.
 */
final class OversizedMessages {
    private static final Logger log = LoggerFactory.getLogger(DownstreamQueue.class);

    private OversizedMessages() {
    }

    /** Whether {@code message} is too large for the device; if so it was logged and counted, and the caller drops it. */
    static boolean dropped(String clientId, DeviceReceiveLimits device, PushMessage message, GatewayMetrics metrics) {
        long max = device.maxPacketBytes();
        if (max == Long.MAX_VALUE) {
            return false;
        }
        long bytes = device.packetBytes(message);
        if (bytes <= max) {
            return false;
        }
        metrics.droppedTooLarge();
        withTrace(message, () -> log.warn("[{}] message {} dropped: its packet of {} bytes exceeds the {} bytes the"
                + " device accepts (Maximum Packet Size)", clientId, Long.toUnsignedString(message.messageId()), bytes,
                max));
        return true;
    }
}
