package io.herald.gateway.session;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.RevocationList;
import io.herald.core.security.TokenClaims;
import io.herald.core.security.TokenVerifier;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A cluster gateway's token check: signature, expiry and a copy of the revocation list in memory for the first
 * check (no lookup: a forged, expired or known-revoked token is refused on the event loop), and the revocation
 * list itself (Redis) for the check right before AUTH_OK, which must see every revocation completed before it.
 */
public final class SignedTokenAuthenticator implements DeviceAuthenticator {
    private final TokenVerifier verifier;
    private final RevocationList copy;
    private final Function<TokenClaims, CompletableFuture<Boolean>> revokedNow;

    /**
     * @param copy       the revocation list as this node last heard it
     * @param revokedNow whether the authoritative list refuses the token; fails when it cannot be asked
     */
    public SignedTokenAuthenticator(TokenVerifier verifier, RevocationList copy,
                                    Function<TokenClaims, CompletableFuture<Boolean>> revokedNow) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.copy = Objects.requireNonNull(copy, "copy");
        this.revokedNow = Objects.requireNonNull(revokedNow, "revokedNow");
    }

    @Override
    public CompletableFuture<Optional<DeviceIdentity>> authenticate(String token) {
        return CompletableFuture.completedFuture(verifier.verify(token).filter(claims -> !copy.revokes(claims))
                .map(TokenClaims::identity));
    }

    @Override
    public CompletableFuture<Optional<DeviceIdentity>> confirm(String token) {
        Optional<TokenClaims> claims = verifier.verify(token).filter(found -> !copy.revokes(found));
        if (claims.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return revokedNow.apply(claims.get()).thenApply(revoked -> revoked ? Optional.empty()
                : Optional.of(claims.get().identity()));
    }
}
