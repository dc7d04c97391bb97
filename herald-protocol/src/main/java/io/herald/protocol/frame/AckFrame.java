package io.herald.protocol.frame;

import io.herald.protocol.AckStatus;
import io.herald.protocol.FrameType;
import java.util.Objects;

/**
 * Acknowledges a QoS 1 MESSAGE, in either direction. Body: {@code u64 messageId, u8 status, str16 reason}.
 */
public record AckFrame(long messageId, AckStatus status, String reason) implements Frame {
    public AckFrame {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    public static AckFrame ok(long messageId) {
        return new AckFrame(messageId, AckStatus.OK, "");
    }

    @Override
    public FrameType type() {
        return FrameType.ACK;
    }
}
