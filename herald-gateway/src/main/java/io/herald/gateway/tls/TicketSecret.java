package io.herald.gateway.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the gateway's TLS session ticket keys are derived from, one key per rotation period: the key of period
 * {@code p} is {@code HMAC-SHA256(secret, label ‖ p ‖ block)} (HKDF's expand step, the secret as pseudo-random key),
 * so every process that holds the same secret derives the same keys for the same period without talking to anyone.
 * A standalone node keeps its secret in its data directory ({@code TicketSecretFile}), so its tickets survive a
 * restart; the gateways of a cluster derive theirs from the cluster secret, so each opens the others' tickets.
 *
 * <p>Whoever holds this secret can derive every period's key, past and future: it is as sensitive as the token keys
 * (docs/reliability.md, "TLS session resumption").
 */
public final class TicketSecret {
    /** Bytes of a generated secret. */
    public static final int LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] LABEL = "herald tls ticket key v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;

    private TicketSecret(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /** @throws IllegalArgumentException when {@code secret} is shorter than {@value #LENGTH} bytes */
    public static TicketSecret of(byte[] secret) {
        if (secret == null || secret.length < LENGTH) {
            throw new IllegalArgumentException("a TLS ticket secret needs at least " + LENGTH + " bytes, had "
                    + (secret == null ? 0 : secret.length));
        }
        return new TicketSecret(secret.clone());
    }

    /** A fresh secret of this process only: its tickets die with it. */
    public static TicketSecret random(SecureRandom random) {
        byte[] secret = new byte[LENGTH];
        random.nextBytes(secret);
        return new TicketSecret(secret);
    }

    /** The key that seals and opens the tickets of rotation period {@code period}. */
    OpenSslSessionTicketKey keyFor(long period) {
        byte[] first = block(period, 1); // name (16) and HMAC key (16)
        byte[] second = block(period, 2); // AES key (16)
        return new OpenSslSessionTicketKey(
                Arrays.copyOfRange(first, 0, OpenSslSessionTicketKey.NAME_SIZE),
                Arrays.copyOfRange(first, OpenSslSessionTicketKey.NAME_SIZE,
                        OpenSslSessionTicketKey.NAME_SIZE + OpenSslSessionTicketKey.HMAC_KEY_SIZE),
                Arrays.copyOf(second, OpenSslSessionTicketKey.AES_KEY_SIZE));
    }

    private byte[] block(long period, int index) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // a key per period: rare, so one Mac per use
            mac.init(key);
            mac.update(LABEL);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(period).array());
            return mac.doFinal(new byte[] {(byte) index});
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }
}
