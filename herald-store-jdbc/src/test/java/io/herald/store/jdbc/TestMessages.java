package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test data: messages and payloads with distinct, checkable content. */
final class TestMessages {
    static final long NOW = 1_760_000_000_000L;
    static final long HOUR = 3_600_000L;

    private TestMessages() {
    }

    /** A QoS 1 JSON message created now, expiring in an hour. */
    static PushMessage push(long messageId) {
        return push(messageId, NOW + HOUR);
    }

    static PushMessage push(long messageId, long expiresAt) {
        byte[] payload = ("{\"n\":" + messageId + "}").getBytes(StandardCharsets.UTF_8);
        return new PushMessage(messageId, ContentType.JSON, Qos.AT_LEAST_ONCE, payload, "trace-" + messageId,
                NOW, expiresAt);
    }

    static PushMessage push(long messageId, byte[] payload) {
        return new PushMessage(messageId, ContentType.BINARY, Qos.AT_LEAST_ONCE, payload, null, NOW, NOW + HOUR);
    }

    /** A text message from {@code clientId}, sent a second before it was received. */
    /** The registration generation of every test device and message, unless a test says otherwise. */
    static final long GENERATION = 7;

    static UpstreamMessage upstream(String clientId, long messageId, long receivedAt) {
        byte[] payload = (clientId + "#" + messageId).getBytes(StandardCharsets.UTF_8);
        return new UpstreamMessage(clientId, GENERATION, messageId, ContentType.TEXT, payload, "up-" + messageId,
                receivedAt - 1_000, receivedAt);
    }

    static UpstreamMessage upstream(String clientId, long messageId, byte[] payload) {
        return new UpstreamMessage(clientId, GENERATION, messageId, ContentType.IMAGE, payload, null, NOW - 1_000, NOW);
    }

    /** {@code size} pseudo-random bytes, the same for the same seed. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Every byte value, 0 to 255, in order: catches any charset or escaping mangling. */
    static byte[] allByteValues() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
