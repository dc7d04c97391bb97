package io.herald.core.security;

import java.util.List;
import java.util.Objects;

/**
 * The keys a node knows: the one it signs new tokens with, and every key it accepts a token from (the signing key
 * among them). Rotation: add a new key, make it the signing key, and drop the old one once the tokens it signed
 * have expired (the token TTL later). See docs/reliability.md, "Device tokens".
 */
public final class TokenKeyRing {
    private final TokenKey signing;
    /** Indexed by key id: the AUTH path finds a key with one array read. */
    private final TokenKey[] byId = new TokenKey[TokenKey.MAX_ID + 1];

    public TokenKeyRing(TokenKey signing, List<TokenKey> accepted) {
        this.signing = Objects.requireNonNull(signing, "signing");
        for (TokenKey key : accepted) {
            if (byId[key.id()] != null && byId[key.id()] != key) {
                throw new IllegalArgumentException("two token keys have the id " + key.id());
            }
            byId[key.id()] = key;
        }
        if (byId[signing.id()] != null && byId[signing.id()] != signing) {
            throw new IllegalArgumentException("two token keys have the id " + signing.id());
        }
        byId[signing.id()] = signing;
    }

    /** A ring of one key. */
    public static TokenKeyRing of(TokenKey key) {
        return new TokenKeyRing(key, List.of());
    }

    public TokenKey signing() {
        return signing;
    }

    /** The key with this id, or null when this node does not accept tokens signed with it. */
    TokenKey accepted(int id) {
        return id < 0 || id >= byId.length ? null : byId[id];
    }
}
