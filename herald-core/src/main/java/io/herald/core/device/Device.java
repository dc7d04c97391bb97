package io.herald.core.device;

import java.time.Instant;
import java.util.Objects;

/** A registered device: its id and the salted hash of its secret (never the secret itself). */
public record Device(String clientId, String secretHash, Instant createdAt) {
    public Device {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "Device[clientId=" + clientId + ", createdAt=" + createdAt + "]";
    }
}
