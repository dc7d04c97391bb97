package io.herald.core.security;

import java.util.Objects;

/**
 * One entry of the revocation list, as it is stored and sent between nodes: either every token of a client id
 * issued under a lower mark ({@link Kind#CLIENT}, {@code key} = client id) or one token ({@link Kind#TOKEN},
 * {@code key} = token id, {@code mark} unused). {@code expiresAtMillis}: when the entry can be forgotten, because
 * every token it could refuse has expired by then.
 */
public record Revocation(Kind kind, String key, long mark, long expiresAtMillis) {
    public enum Kind { CLIENT, TOKEN }

    public Revocation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public static Revocation client(String clientId, long mark, long expiresAtMillis) {
        return new Revocation(Kind.CLIENT, clientId, mark, expiresAtMillis);
    }

    public static Revocation token(String tokenId, long expiresAtMillis) {
        return new Revocation(Kind.TOKEN, tokenId, 0, expiresAtMillis);
    }
}
