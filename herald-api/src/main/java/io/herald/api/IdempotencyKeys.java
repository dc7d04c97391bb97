package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code Idempotency-Key} header: its rules, and the hashes the store keeps instead of the key and the body. A
 * key is 1-{@value #MAX_LENGTH} printable ASCII characters without spaces (a UUID fits, as do most schemes); it is
 * never echoed or logged, since a client may have derived it from data it considers private.
 */
final class IdempotencyKeys {
    static final String HEADER = "idempotency-key";
    /** Answers that were replayed from the store carry this header ({@code true}), as Stripe's API does. */
    static final String REPLAYED_HEADER = "idempotent-replayed";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /** The request's key, or null when it has none; a malformed one is a 400. */
    static String of(AggregatedHttpRequest request) {
        if (request.headers().getAll(HEADER).size() > 1) {
            throw ApiException.badRequest(ErrorCodes.INVALID_IDEMPOTENCY_KEY, "give one Idempotency-Key header");
        }
        String key = request.headers().get(HEADER);
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.badRequest(ErrorCodes.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must be 1-"
                    + MAX_LENGTH + " printable ASCII characters without spaces");
        }
        return key;
    }

    /** What the store keys a key by: its SHA-256, hex. */
    static String hash(String key) {
        return sha256(key.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * What a replay has to match: the SHA-256 of the route and the body's bytes. Byte for byte, as Stripe compares
     * parameters: a client that retries sends the same body; one that sends another body under the same key has a
     * bug, which a 422 shows at once.
     */
    static String fingerprint(String route, AggregatedHttpRequest request) {
        MessageDigest digest = digest();
        digest.update(route.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) '\n');
        digest.update(request.content().byteBuf().nioBuffer());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
