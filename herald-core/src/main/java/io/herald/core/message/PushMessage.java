package io.herald.core.message;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.util.Arrays;
import java.util.Objects;

/**
 * A downstream message as the push API accepted it: one instance is shared by all its targets.
 *
 * @param createdAt epoch milliseconds
 * @param expiresAt epoch milliseconds after which it is no longer delivered (QoS 1 offline storage)
 * @param traceId   the push's trace id, carried to the device
 */
public record PushMessage(long messageId, ContentType contentType, Qos qos, byte[] payload, String traceId,
                          long createdAt, long expiresAt) {
    public PushMessage {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PushMessage m && m.messageId == messageId && m.contentType == contentType
                && m.qos == qos && Arrays.equals(m.payload, payload) && Objects.equals(m.traceId, traceId)
                && m.createdAt == createdAt && m.expiresAt == expiresAt;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(messageId);
    }

    @Override
    public String toString() {
        return "PushMessage[id=" + messageId + ", type=" + contentType.label() + ", qos=" + qos.level()
                + ", trace=" + traceId + ", bytes=" + payload.length + "]";
    }
}
