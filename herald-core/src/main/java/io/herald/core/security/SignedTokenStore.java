package io.herald.core.security;

import io.herald.core.device.DeviceIdentity;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Self-contained signed tokens ({@link SignedTokenFormat}): issuing stores nothing, and resolving needs no lookup
 * but the revocation list. A token survives a restart as long as the key does (standalone: a file in the data
 * directory; cluster: derived from the cluster secret). Revoking records an entry in {@link Revocations}.
 *
 * <p>Atomicity of issue and revokeAll ({@link TokenStore}): {@link #issue} reads the client's revocation mark
 * before it signs; {@link #revokeAll} raises the mark. A token whose issue read the mark before the raise carries
 * a lower mark and is refused from the raise on; one that read it after was issued after the revokeAll.
 */
public final class SignedTokenStore implements TokenStore {
    private final TokenVerifier verifier;
    private final Revocations revocations;
    private final SecureRandom random = new SecureRandom();

    public SignedTokenStore(TokenVerifier verifier, Revocations revocations) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
    }

    /** Valid for {@code ttl} rounded up to whole seconds (tokens carry seconds). */
    @Override
    public Token issue(DeviceIdentity identity, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("token ttl must be positive, was " + ttl);
        }
        long mark = revocations.markOf(identity.clientId());
        Instant now = verifier.clock().instant();
        long expiresAt = now.plus(ttl).getEpochSecond() + (now.plus(ttl).getNano() > 0 ? 1 : 0);
        byte[] tokenId = new byte[SignedTokenFormat.TOKEN_ID_BYTES];
        random.nextBytes(tokenId);
        TokenClaims claims = new TokenClaims(identity.clientId(), identity.generation(), now.getEpochSecond(),
                expiresAt, mark, Base64.getUrlEncoder().withoutPadding().encodeToString(tokenId));
        String value = SignedTokenFormat.encode(claims, verifier.keys().signing());
        return new Token(value, identity.clientId(), identity.generation(), claims.expiresAt());
    }

    @Override
    public Optional<DeviceIdentity> resolve(String token) {
        return verifier.verify(token).filter(claims -> !revocations.revokes(claims)).map(TokenClaims::identity);
    }

    /** An expired or forged token needs no entry: it is refused anyway. */
    @Override
    public void revoke(String token) {
        verifier.verify(token).ifPresent(revocations::revokeToken);
    }

    @Override
    public void revokeAll(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("client id must not be empty");
        }
        revocations.revokeClient(clientId);
    }
}
