package io.herald.gateway.session;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.TokenStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves the token a device presents in AUTH to the registration (client id and generation) it was issued to.
 * Asynchronous so a remote check (Redis in a cluster) never blocks an event loop. Asked twice per AUTH: before the
 * session is bound ({@link #authenticate}) and after, right before AUTH_OK ({@link #confirm}); the delete argument of
 * docs/reliability.md needs the second answer to reflect every revocation completed before it was asked.
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    CompletableFuture<Optional<DeviceIdentity>> authenticate(String token);

    /** The check right before AUTH_OK; the same as {@link #authenticate} unless that one may answer from a copy. */
    default CompletableFuture<Optional<DeviceIdentity>> confirm(String token) {
        return authenticate(token);
    }

    /** Over a token store whose lookups are in memory and fast enough for the event loop. */
    static DeviceAuthenticator inMemory(TokenStore tokens) {
        return token -> CompletableFuture.completedFuture(tokens.resolve(token));
    }
}
