package io.herald.protocol.frame;

import io.herald.protocol.ContentType;
import io.herald.protocol.FrameType;
import io.herald.protocol.Qos;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message in either direction.
 * Body: {@code u64 messageId, u8 contentType, u64 timestampMillis, [u8 traceLength, trace bytes], payload}.
 * The trace id is present when the TRACE flag is set; QoS and the duplicate mark travel in the header flags.
 *
 * @param messageId   unique per sender: server-generated downstream, device-generated upstream
 * @param timestamp   epoch milliseconds when the sender created the message
 * @param traceId     printable ASCII up to 64 characters, or {@code null}
 * @param duplicate   true on a redelivery of a message id the receiver may have seen
 */
public record MessageFrame(long messageId, ContentType contentType, Qos qos, boolean duplicate, String traceId,
                           long timestamp, byte[] payload) implements Frame {
    public MessageFrame {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public FrameType type() {
        return FrameType.MESSAGE;
    }

    /** The same message marked as a redelivery. */
    public MessageFrame asDuplicate() {
        return duplicate ? this : new MessageFrame(messageId, contentType, qos, true, traceId, timestamp, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageFrame m && m.messageId == messageId && m.contentType == contentType
                && m.qos == qos && m.duplicate == duplicate && Objects.equals(m.traceId, traceId)
                && m.timestamp == timestamp && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(messageId) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "MessageFrame[id=" + messageId + ", type=" + contentType.label() + ", qos=" + qos.level()
                + (duplicate ? ", dup" : "") + (traceId != null ? ", trace=" + traceId : "")
                + ", bytes=" + payload.length + "]";
    }
}
