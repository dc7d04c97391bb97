package io.herald.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Herald-Signature} header of a webhook request: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the MAC
 * keyed with the shared secret over {@code "<t>." + body}. Signing the time with the body lets a receiver refuse a
 * replayed request by its age ({@link #verify}, docs/events.md shows the same check in a few lines of any
 * language).
 */
public final class WebhookSignature {
    public static final String HEADER = "Herald-Signature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header's value for a request sent at {@code unixSeconds}. */
    public String header(long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HEX.formatHex(mac(unixSeconds, body));
    }

    /**
     * Whether {@code header} signs {@code body} with this secret at a time within {@code tolerance} of
     * {@code nowSeconds}. A malformed header is not valid. The comparison takes the same time wherever it differs.
     */
    public boolean verify(String header, byte[] body, long nowSeconds, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Long time = null;
        byte[] given = null;
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                return false;
            }
            try {
                if (pair[0].equals("t")) {
                    time = Long.parseLong(pair[1]);
                } else if (pair[0].equals("v1")) {
                    given = HEX.parseHex(pair[1]);
                }
            } catch (IllegalArgumentException e) { // NumberFormatException too
                return false;
            }
        }
        if (time == null || given == null || Math.abs(nowSeconds - time) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(time, body));
    }

    private byte[] mac(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
