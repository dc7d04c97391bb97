package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;
import io.herald.protocol.frame.MessageFrame;

/** The MESSAGE frame that carries a push to a device. */
final class MessageFrames {
    private MessageFrames() {
    }

    /** @param duplicate whether the device may have had it before (the DUPLICATE flag) */
    static MessageFrame of(PushMessage message, boolean duplicate) {
        return new MessageFrame(message.messageId(), message.contentType(), message.qos(), duplicate,
                message.traceId(), message.createdAt(), message.payload());
    }
}
