package io.herald.core.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks device secrets against their stored slow hash ({@link SecretHasher}), remembering each secret that passed
 * as a fast keyed digest so that the next login of the same device skips the slow hash.
 *
 * <p>The digest is HMAC-SHA256 under a random key drawn when this object is made (never stored, never shared
 * between processes) over the registration generation, the stored hash and the secret, so a re-registration, a
 * delete or a new secret (each gives a new salted hash and generation) simply stops matching. The secret itself is
 * never kept. Only a secret that passed the slow check is remembered: a wrong secret always pays the slow hash,
 * so online guessing costs what it did. At most {@code capacity} devices are remembered, least recently used
 * out first. Why this is safe: docs/reliability.md, "Device secrets".
 */
public final class SecretVerifier {
    /** About 17 MB of heap when full (~170 bytes a device: map entry, client id, 32-byte digest). */
    public static final int DEFAULT_CAPACITY = 100_000;
    private static final String MAC = "HmacSHA256";

    private final SecretHasher hasher;
    private final int capacity;
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final LongAdder slowChecks = new LongAdder();
    /** Client id → digest of its last verified secret, in access order; guarded by itself. */
    private final LinkedHashMap<String, byte[]> verified;

    public SecretVerifier(SecretHasher hasher, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("verified-secret cache capacity must be at least 0, was " + capacity);
        }
        this.hasher = hasher;
        this.capacity = capacity;
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        this.key = new SecretKeySpec(keyBytes, MAC);
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.verified = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > SecretVerifier.this.capacity;
            }
        };
    }

    /**
     * Whether {@code secret} is the secret of the registration ({@code clientId}, {@code generation}) whose stored
     * hash is {@code storedHash}. Constant-time in the secret on both paths.
     */
    public boolean verify(String clientId, long generation, String storedHash, String secret) {
        byte[] digest = digest(generation, storedHash, secret);
        byte[] known;
        synchronized (verified) {
            known = verified.get(clientId);
        }
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        slowChecks.increment();
        if (!hasher.verify(secret, storedHash)) {
            return false; // a wrong secret never replaces what is remembered: it cannot evict a good entry
        }
        remember(clientId, digest);
        return true;
    }

    /**
     * Remembers {@code secret} for a registration just created from it: {@code storedHash} was derived from this
     * secret in this process, so it is the right one without a second slow hash, and the device's first login
     * (typically moments after it was provisioned) is as cheap as a repeated one. Never call it with a secret that
     * was not the one hashed into {@code storedHash}.
     */
    public void rememberRegistered(String clientId, long generation, String storedHash, String secret) {
        remember(clientId, digest(generation, storedHash, secret));
    }

    private void remember(String clientId, byte[] digest) {
        if (capacity > 0) {
            synchronized (verified) {
                verified.put(clientId, digest);
            }
        }
    }

    /** How many checks paid the slow hash (cache misses and wrong secrets) since start. */
    public long slowChecks() {
        return slowChecks.sum();
    }

    /** How many devices are remembered now (at most the capacity). */
    public int size() {
        synchronized (verified) {
            return verified.size();
        }
    }

    private byte[] digest(long generation, String storedHash, String secret) {
        Mac mac = macs.get();
        mac.update(ByteBuffer.allocate(Long.BYTES).putLong(generation).array());
        byte[] hash = storedHash.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(hash.length).array()); // length-prefixed: unambiguous
        mac.update(hash);
        return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
