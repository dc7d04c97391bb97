package io.herald.cluster.link;

import io.herald.core.security.TokenKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of one cluster shares, used to authenticate the internal links: an API node proves it knows
 * it by answering a gateway's random nonce with {@code HMAC-SHA256(secret, nonce ‖ UTF-8(node id))}. The secret itself
 * never goes on the wire and is never printed.
 */
public final class ClusterSecret {
    /** Shorter secrets are too easy to guess offline from one recorded handshake. */
    public static final int MIN_LENGTH = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final int TOKEN_KEY_ID = 1;

    private final SecretKeySpec key;

    private ClusterSecret(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** @throws IllegalArgumentException when the secret is missing or shorter than {@value #MIN_LENGTH} characters */
    public static ClusterSecret of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the cluster secret is required (every gateway and API node of the"
                    + " cluster must be given the same one)");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the cluster secret must be at least " + MIN_LENGTH
                    + " characters, was " + secret.length());
        }
        return new ClusterSecret(secret);
    }

    /** The answer to a challenge: HMAC-SHA256 over the nonce followed by the UTF-8 bytes of the answering node's id. */
    public byte[] answer(byte[] nonce, String nodeId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and handshakes are rare: one per use
            mac.init(key);
            mac.update(nonce);
            return mac.doFinal(nodeId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    /**
     * The key device tokens are signed with, the same on every node of the cluster, so a gateway verifies a token
     * any API node issued without asking anyone. Derived with a label of its own ({@link TokenKey#derived}), so it
     * is not the key of the link handshake. Key id 1: a new cluster secret is a new key, and every token of the old
     * one is refused (devices log in again).
     */
    public TokenKey tokenKey() {
        return TokenKey.derived(TOKEN_KEY_ID, key.getEncoded());
    }

    /**
     * The secret the gateways' TLS session ticket keys derive from ({@code TicketSecret}), the same on every gateway
     * of the cluster, so a device that moves to another gateway resumes its TLS session there. Derived with a label
     * of its own, so it is neither the link handshake's key nor the token key.
     */
    public byte[] tlsTicketSecret() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal("herald tls ticket secret v1".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    /** Whether {@code answer} is the right one for the nonce and node id; compares in constant time. */
    public boolean accepts(byte[] nonce, String nodeId, byte[] answer) {
        return MessageDigest.isEqual(answer(nonce, nodeId), answer);
    }

    @Override
    public String toString() {
        return "ClusterSecret[redacted]";
    }
}
