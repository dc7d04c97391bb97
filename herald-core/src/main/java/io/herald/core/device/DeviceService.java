package io.herald.core.device;

import io.herald.core.security.SecretHasher;
import io.herald.core.security.Token;
import io.herald.core.security.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Registration, login and removal of devices: the rules, over a {@link DeviceStore} and a {@link TokenStore}. */
public final class DeviceService {
    public static final int MAX_SECRET_LENGTH = 256;
    public static final int MIN_SECRET_LENGTH = 8;

    /** Outcome of {@link #register}. */
    public enum Registration {
        /** A new device was stored. */
        CREATED,
        /** The id was already registered with this same secret: nothing changed. */
        ALREADY_REGISTERED,
        /** The id is registered with another secret. */
        CONFLICT
    }

    private final DeviceStore store;
    private final TokenStore tokens;
    private final SecretHasher hasher;
    private final Duration tokenTtl;
    private final Clock clock;

    public DeviceService(DeviceStore store, TokenStore tokens, SecretHasher hasher, Duration tokenTtl, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.hasher = hasher;
        this.tokenTtl = tokenTtl;
        this.clock = clock;
    }

    /** Why {@code secret} is not acceptable, or {@code null}. */
    public static String secretProblem(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "secret is required";
        }
        if (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
            return "secret must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters";
        }
        return null;
    }

    /** Registers a device; ids and secrets must already be valid ({@link ClientIds}, {@link #secretProblem}). */
    public Registration register(String clientId, String secret) {
        Optional<Device> existing = store.find(clientId);
        if (existing.isEmpty()) {
            if (store.insert(new Device(clientId, hasher.hash(secret), clock.instant()))) {
                return Registration.CREATED;
            }
            existing = store.find(clientId); // lost a race with a concurrent registration
            if (existing.isEmpty()) {
                return register(clientId, secret);
            }
        }
        return hasher.verify(secret, existing.get().secretHash())
                ? Registration.ALREADY_REGISTERED : Registration.CONFLICT;
    }

    /** A fresh token when the secret matches the registered device; empty otherwise. */
    public Optional<Token> login(String clientId, String secret) {
        return store.find(clientId)
                .filter(device -> hasher.verify(secret, device.secretHash()))
                .map(device -> tokens.issue(clientId, tokenTtl));
    }

    /** Deletes the device and revokes its tokens; false when it did not exist. */
    public boolean delete(String clientId) {
        tokens.revokeAll(clientId);
        return store.delete(clientId);
    }

    public Optional<Device> find(String clientId) {
        return store.find(clientId);
    }
}
