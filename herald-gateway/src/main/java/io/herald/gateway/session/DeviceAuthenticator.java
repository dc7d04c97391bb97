package io.herald.gateway.session;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.TokenStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves the token a device presents in AUTH to the registration (client id and generation) it was issued to.
 * Asynchronous so a remote token store (Redis in a cluster) never blocks an event loop.
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    CompletableFuture<Optional<DeviceIdentity>> authenticate(String token);

    /** Over a token store whose lookups are in memory and fast enough for the event loop. */
    static DeviceAuthenticator inMemory(TokenStore tokens) {
        return token -> CompletableFuture.completedFuture(tokens.resolve(token));
    }
}
