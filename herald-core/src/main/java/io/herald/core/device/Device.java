package io.herald.core.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered device: its id, the salted hash of its secret (never the secret itself) and its registration
 * generation, a random number drawn at registration ({@link #newGeneration()}). A device registered before
 * generations existed has generation 0.
 */
public record Device(String clientId, String secretHash, Instant createdAt, long generation) {
    public Device {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A fresh generation: random, never 0 (which marks registrations made before generations existed). */
    public static long newGeneration() {
        long generation;
        do {
            generation = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        } while (generation == 0);
        return generation;
    }

    public DeviceIdentity identity() {
        return new DeviceIdentity(clientId, generation);
    }

    @Override
    public String toString() {
        return "Device[clientId=" + clientId + ", createdAt=" + createdAt + "]";
    }
}
