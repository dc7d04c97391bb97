package io.herald.core.security;

import java.time.Instant;

/** A bearer token a device presents in AUTH; bound to one client id. */
public record Token(String value, String clientId, Instant expiresAt) {
    @Override
    public String toString() {
        return "Token[clientId=" + clientId + ", expiresAt=" + expiresAt + "]";
    }
}
