package io.herald.core.security;

import io.herald.core.device.DeviceIdentity;
import java.time.Duration;
import java.util.Optional;

/**
 * Issues and resolves device tokens. In memory in standalone, Redis in a cluster. {@link #issue} and
 * {@link #revokeAll} must be atomic with respect to each other: a token issued before a revokeAll of its client id
 * completed is gone once it completes (the delete argument in docs/reliability.md relies on it).
 */
public interface TokenStore {

    /** A new random token for the registration {@code identity}, valid for {@code ttl}. */
    Token issue(DeviceIdentity identity, Duration ttl);

    /** The registration the token was issued to, if the token exists and has not expired. */
    Optional<DeviceIdentity> resolve(String token);

    /** Revokes one token; nothing happens when it does not exist. */
    void revoke(String token);

    /** Revokes every token of the client id (the device was deleted, or an operator revoked them). */
    void revokeAll(String clientId);
}
