package io.herald.core.security;

import io.herald.core.device.DeviceIdentity;
import java.time.Instant;

/** A bearer token a device presents in AUTH; bound to one registration (client id and generation). */
public record Token(String value, String clientId, long generation, Instant expiresAt) {

    public DeviceIdentity identity() {
        return new DeviceIdentity(clientId, generation);
    }

    @Override
    public String toString() {
        return "Token[clientId=" + clientId + ", expiresAt=" + expiresAt + "]";
    }
}
