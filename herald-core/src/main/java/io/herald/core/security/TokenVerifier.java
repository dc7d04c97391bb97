package io.herald.core.security;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a token check that needs nothing but keys and a clock: the signature (by a key of the ring) and the
 * expiry. Whether the token was revoked is the caller's second question.
 */
public final class TokenVerifier {
    private final TokenKeyRing keys;
    private final Clock clock;

    public TokenVerifier(TokenKeyRing keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The claims of a well-signed token that has not expired; empty for anything else. */
    public Optional<TokenClaims> verify(String token) {
        return SignedTokenFormat.decode(token, keys).filter(claims -> !claims.expiredAt(clock.instant()));
    }

    TokenKeyRing keys() {
        return keys;
    }

    Clock clock() {
        return clock;
    }
}
