package io.herald.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes of device secrets, stored as {@code pbkdf2-sha256$iterations$salt$hash}
 * (Base64). The iteration count is kept in each hash, so changing the setting never breaks stored devices.
 * Device secrets are machine-generated, high-entropy strings rather than human passwords, so the default
 * iteration count is modest enough for thousands of logins per second; raise it for weak secrets.
 */
public final class SecretHasher {
    public static final int DEFAULT_ITERATIONS = 1_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    public SecretHasher(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("secret hash iterations must be at least 1, was " + iterations);
        }
        this.iterations = iterations;
    }

    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(secret, salt, iterations));
    }

    /** Constant-time check of {@code secret} against a stored hash; false for a malformed hash. */
    public boolean verify(String secret, String storedHash) {
        String[] parts = storedHash.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int storedIterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(secret, salt, storedIterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Constant-time equality of two strings, for API keys. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
