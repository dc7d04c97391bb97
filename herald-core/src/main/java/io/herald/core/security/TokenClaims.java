package io.herald.core.security;

import io.herald.core.device.DeviceIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * What a signed device token says: the registration it was issued to, when it was issued and expires (whole
 * seconds), the revocation mark of its client id when it was issued ({@link RevocationList}), and its own random
 * id (for revoking just this token).
 *
 * @param revocationMark the client's mark in milliseconds when the token was issued, 0 when it had none: the token
 *                       is revoked once the client's mark is higher
 * @param tokenId        16 random bytes, unpadded base64url
 */
public record TokenClaims(String clientId, long generation, long issuedAtSecond, long expiresAtSecond,
                          long revocationMark, String tokenId) {
    public TokenClaims {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(tokenId, "tokenId");
    }

    public DeviceIdentity identity() {
        return new DeviceIdentity(clientId, generation);
    }

    public Instant expiresAt() {
        return Instant.ofEpochSecond(expiresAtSecond);
    }

    public boolean expiredAt(Instant now) {
        return now.getEpochSecond() >= expiresAtSecond;
    }
}
