package io.herald.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key that signs device tokens, with the id a token names it by (0-255), so that a node can hold the key it
 * signs with and older ones it still accepts while tokens signed with them live. HMAC-SHA256; each thread keeps its
 * own initialised {@link Mac} (a Mac is not thread-safe, and initialising one per token would cost more than the
 * MAC itself on the AUTH path). The key bytes are never printed.
 */
public final class TokenKey {
    public static final int MIN_ID = 0;
    public static final int MAX_ID = 255;
    /** HMAC-SHA256's block is 64 bytes; 32 random bytes are as strong as the MAC's output. */
    public static final int LENGTH = 32;
    static final String ALGORITHM = "HmacSHA256";

    private final int id;
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public TokenKey(int id, byte[] secret) {
        if (id < MIN_ID || id > MAX_ID) {
            throw new IllegalArgumentException("token key id must be " + MIN_ID + "-" + MAX_ID + ", was " + id);
        }
        Objects.requireNonNull(secret, "secret");
        if (secret.length < LENGTH) {
            throw new IllegalArgumentException("a token key needs at least " + LENGTH + " bytes, had " + secret.length);
        }
        this.id = id;
        this.key = new SecretKeySpec(Arrays.copyOf(secret, secret.length), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A fresh random key (standalone: generated once and kept in the data directory). */
    public static TokenKey random(int id, SecureRandom random) {
        byte[] secret = new byte[LENGTH];
        random.nextBytes(secret);
        return new TokenKey(id, secret);
    }

    /**
     * The key derived from a secret every node of a cluster shares: {@code HMAC-SHA256(secret, label ‖ id)}, the
     * expand step of HKDF with the shared secret as pseudo-random key. The label keeps it apart from every other
     * use of that secret (the internal links answer nonces with it), so no token MAC is ever a valid link answer
     * nor the reverse.
     */
    public static TokenKey derived(int id, byte[] sharedSecret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(sharedSecret, ALGORITHM));
            mac.update("herald device token key v1".getBytes(StandardCharsets.US_ASCII));
            return new TokenKey(id, mac.doFinal(new byte[] {(byte) id}));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    public int id() {
        return id;
    }

    /** The MAC of {@code length} bytes of {@code data} from {@code offset}. */
    byte[] sign(byte[] data, int offset, int length) {
        Mac mac = macs.get();
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    /** The key bytes, for the one place that stores them (the standalone key file). */
    byte[] secret() {
        return key.getEncoded();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "TokenKey[id=" + id + ", redacted]";
    }
}
