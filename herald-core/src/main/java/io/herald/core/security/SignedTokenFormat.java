package io.herald.core.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The bytes of a signed device token, and the checks that turn an untrusted string back into {@link TokenClaims}.
 * The token is the unpadded base64url of:
 *
 * <pre>
 * offset  size  field
 *   0      1    version (1)
 *   1      1    key id: which {@link TokenKey} signed it
 *   2      8    generation of the registration (signed, big-endian)
 *  10      4    issued at, epoch seconds (unsigned)
 *  14      4    expires at, epoch seconds (unsigned)
 *  18      8    revocation mark of the client id at issue, epoch milliseconds (0: none)
 *  26     16    token id: random
 *  42      1    n = length of the client id, 1-128
 *  43      n    client id, ASCII (the characters {@code ClientIds} allows)
 *  43+n   32    HMAC-SHA256(key, bytes 0 .. 43+n)
 * </pre>
 *
 * A client id of 20 characters gives a 95-byte token, 127 characters. Decoding is bounded before anything is
 * allocated: a string longer than the longest token, not base64url, of another version, naming an unknown key, with
 * a length byte that disagrees with the size, or with a wrong MAC (compared in constant time) is simply not a
 * token: {@link #decode} answers empty and never throws. Expiry and revocation are the caller's checks.
 */
public final class SignedTokenFormat {
    static final int VERSION = 1;
    static final int TOKEN_ID_BYTES = 16;
    static final int MAC_BYTES = 32;
    static final int MAX_CLIENT_ID_BYTES = 128;
    private static final int HEADER_BYTES = 43;
    private static final int MIN_BYTES = HEADER_BYTES + 1 + MAC_BYTES;
    private static final int MAX_BYTES = HEADER_BYTES + MAX_CLIENT_ID_BYTES + MAC_BYTES;
    /** Unpadded base64 of {@link #MAX_BYTES}: longer strings are refused before decoding. */
    public static final int MAX_CHARS = (MAX_BYTES * 4 + 2) / 3;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private SignedTokenFormat() {
    }

    /** The token for {@code claims}, signed with {@code key}. */
    public static String encode(TokenClaims claims, TokenKey key) {
        byte[] clientId = claims.clientId().getBytes(StandardCharsets.US_ASCII);
        byte[] tokenId = DECODER.decode(claims.tokenId());
        if (clientId.length < 1 || clientId.length > MAX_CLIENT_ID_BYTES) {
            throw new IllegalArgumentException("client id must be 1-" + MAX_CLIENT_ID_BYTES + " characters");
        }
        if (tokenId.length != TOKEN_ID_BYTES) {
            throw new IllegalArgumentException("token id must be " + TOKEN_ID_BYTES + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(HEADER_BYTES + clientId.length + MAC_BYTES);
        body.put((byte) VERSION).put((byte) key.id()).putLong(claims.generation())
                .putInt((int) claims.issuedAtSecond()).putInt((int) claims.expiresAtSecond())
                .putLong(claims.revocationMark()).put(tokenId).put((byte) clientId.length).put(clientId);
        byte[] bytes = body.array();
        body.put(key.sign(bytes, 0, body.position()));
        return ENCODER.encodeToString(bytes);
    }

    /** The claims of a token signed by a key of {@code keys}; empty for anything else. */
    public static Optional<TokenClaims> decode(String token, TokenKeyRing keys) {
        if (token == null || token.length() < (MIN_BYTES * 4 + 2) / 3 || token.length() > MAX_CHARS) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (bytes.length < MIN_BYTES || bytes[0] != VERSION) {
            return Optional.empty();
        }
        TokenKey key = keys.accepted(bytes[1] & 0xFF);
        int clientIdLength = bytes[HEADER_BYTES - 1] & 0xFF;
        int signedLength = HEADER_BYTES + clientIdLength;
        if (key == null || clientIdLength < 1 || clientIdLength > MAX_CLIENT_ID_BYTES
                || bytes.length != signedLength + MAC_BYTES) {
            return Optional.empty();
        }
        byte[] expected = key.sign(bytes, 0, signedLength);
        byte[] presented = new byte[MAC_BYTES];
        System.arraycopy(bytes, signedLength, presented, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(expected, presented)) {
            return Optional.empty();
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, 2, signedLength - 2);
        long generation = body.getLong();
        long issuedAt = Integer.toUnsignedLong(body.getInt());
        long expiresAt = Integer.toUnsignedLong(body.getInt());
        long mark = body.getLong();
        byte[] tokenId = new byte[TOKEN_ID_BYTES];
        body.get(tokenId);
        body.get(); // the length, read above
        String clientId = new String(bytes, HEADER_BYTES, clientIdLength, StandardCharsets.US_ASCII);
        return Optional.of(new TokenClaims(clientId, generation, issuedAt, expiresAt, mark,
                ENCODER.encodeToString(tokenId)));
    }
}
