package io.herald.core.security;

import java.time.Duration;
import java.util.Optional;

/** Issues and resolves device tokens. In memory in standalone, Redis in a cluster. */
public interface TokenStore {

    /** A new random token for {@code clientId}, valid for {@code ttl}. */
    Token issue(String clientId, Duration ttl);

    /** The client id the token was issued to, if it exists and has not expired. */
    Optional<String> resolve(String token);

    /** Revokes every token of the client id (the device was deleted). */
    void revokeAll(String clientId);
}
