package io.herald.client;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A message pushed by the server, as handed to {@link HeraldListener#onMessage}. The payload array is not
 * copied: it belongs to the receiver, who may keep or modify it.
 */
public final class ReceivedMessage {
    private final long messageId;
    private final ContentType contentType;
    private final Qos qos;
    private final byte[] payload;
    private final String traceId;
    private final long timestamp;
    private final boolean redelivery;

    public ReceivedMessage(long messageId, ContentType contentType, Qos qos, byte[] payload, String traceId,
                           long timestamp, boolean redelivery) {
        this.messageId = messageId;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.qos = Objects.requireNonNull(qos, "qos");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.traceId = traceId;
        this.timestamp = timestamp;
        this.redelivery = redelivery;
    }

    /** Server-assigned id, unique per message (an unsigned 64-bit value on the wire). */
    public long messageId() {
        return messageId;
    }

    public ContentType contentType() {
        return contentType;
    }

    public Qos qos() {
        return qos;
    }

    public byte[] payload() {
        return payload;
    }

    /** The sender's trace id, or {@code null}. */
    public String traceId() {
        return traceId;
    }

    /** Epoch milliseconds when the message was created on the server. */
    public long timestamp() {
        return timestamp;
    }

    public Instant createdAt() {
        return Instant.ofEpochMilli(timestamp);
    }

    /**
     * True when the server marked this delivery as a possible repeat (DUPLICATE flag) but this client had not
     * seen the id within its duplicate window — e.g. it was delivered before the application restarted.
     */
    public boolean redelivery() {
        return redelivery;
    }

    /** The payload decoded as UTF-8 (meaningful for {@link ContentType#isTextual() textual} content types). */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceivedMessage[id=" + Long.toUnsignedString(messageId) + ", type=" + contentType.label()
                + ", qos=" + qos.level() + (traceId != null ? ", trace=" + traceId : "") + ", bytes=" + payload.length
                + (redelivery ? ", redelivery" : "") + "]";
    }
}
