package io.herald.gateway.session;

import io.herald.core.security.TokenStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves the token a device presents in AUTH to its client id. Asynchronous so a remote token store (Redis
 * in a cluster) never blocks an event loop.
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    CompletableFuture<Optional<String>> authenticate(String token);

    /** Over a token store whose lookups are in memory and fast enough for the event loop. */
    static DeviceAuthenticator inMemory(TokenStore tokens) {
        return token -> CompletableFuture.completedFuture(tokens.resolve(token));
    }
}
