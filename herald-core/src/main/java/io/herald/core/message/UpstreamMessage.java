package io.herald.core.message;

import io.herald.protocol.ContentType;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message a device sent up. {@code (clientId, messageId)} identifies it: a resend after a reconnect carries
 * the same pair, and stores ignore the second copy.
 *
 * @param clientId   always the authenticated id of the connection it came from
 * @param generation the registration of the client id the connection authenticated as ({@code Device#generation}):
 *                   the archive lists a device's messages of its current registration only
 * @param sentAt     epoch milliseconds, as the device stamped it
 * @param receivedAt epoch milliseconds, when the gateway decoded it
 */
public record UpstreamMessage(String clientId, long generation, long messageId, ContentType contentType, byte[] payload,
                              String traceId, long sentAt, long receivedAt) {
    public UpstreamMessage {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpstreamMessage m && m.clientId.equals(clientId) && m.generation == generation
                && m.messageId == messageId
                && m.contentType == contentType && Arrays.equals(m.payload, payload)
                && Objects.equals(m.traceId, traceId) && m.sentAt == sentAt && m.receivedAt == receivedAt;
    }

    @Override
    public int hashCode() {
        return clientId.hashCode() * 31 + Long.hashCode(messageId);
    }

    @Override
    public String toString() {
        return "UpstreamMessage[client=" + clientId + ", id=" + messageId + ", type=" + contentType.label()
                + ", bytes=" + payload.length + "]";
    }
}
