package io.herald.core.device;

import io.herald.core.security.SecretHasher;
import io.herald.core.security.SecretVerifier;
import io.herald.core.security.Token;
import io.herald.core.security.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
    private final SecretVerifier secrets;
    private final Duration tokenTtl;
    private final Clock clock;

    /** With a verified-secret cache of {@link SecretVerifier#DEFAULT_CAPACITY} devices. */
    public DeviceService(DeviceStore store, TokenStore tokens, SecretHasher hasher, Duration tokenTtl, Clock clock) {
        this(store, tokens, hasher, new SecretVerifier(hasher, SecretVerifier.DEFAULT_CAPACITY), tokenTtl, clock);
    }

    /** {@code secrets} must check against {@code hasher}'s hashes. */
    public DeviceService(DeviceStore store, TokenStore tokens, SecretHasher hasher, SecretVerifier secrets,
                         Duration tokenTtl, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.hasher = hasher;
        this.secrets = secrets;
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
            Device created = new Device(clientId, hasher.hash(secret), clock.instant(), Device.newGeneration());
            if (store.insert(created)) {
                secrets.rememberRegistered(clientId, created.generation(), created.secretHash(), secret);
                return Registration.CREATED;
            }
            existing = store.find(clientId); // lost a race with a concurrent registration
            if (existing.isEmpty()) {
                return register(clientId, secret);
            }
        }
        return secretMatches(existing.get(), secret) ? Registration.ALREADY_REGISTERED : Registration.CONFLICT;
    }

    /**
     * A fresh token when the secret matches the registered device; empty otherwise. The token is bound to the
     * registration whose secret matched. After issuing it the registration is looked up again: a delete (and
     * perhaps a new registration of the id) that ran between the check of the secret and the issue may have missed
     * the new token, so it is revoked here and the login fails. See docs/reliability.md, "Deleting a device".
     */
    public Optional<Token> login(String clientId, String secret) {
        Optional<Device> device = store.find(clientId).filter(found -> secretMatches(found, secret));
        if (device.isEmpty()) {
            return Optional.empty();
        }
        Token token = tokens.issue(device.get().identity(), tokenTtl);
        if (!isCurrent(device.get().identity())) {
            tokens.revoke(token.value());
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /**
     * Deletes the device, then revokes its tokens; false when it did not exist. In that order: a login that
     * issues a token after the revocation sees the registration gone when it checks again, and revokes the token
     * itself. The caller then closes the device's session. The tokens are revoked before the delete too: revoked
     * tokens are kept (signed tokens survive a restart), and a crash between the delete and the revocation after
     * it must not leave the deleted registration's tokens valid.
     */
    public boolean delete(String clientId) {
        tokens.revokeAll(clientId);
        boolean deleted = store.delete(clientId);
        tokens.revokeAll(clientId);
        return deleted;
    }

    /** Revokes every token of the device (the caller closes its session); false when it is not registered. */
    public boolean revokeTokens(String clientId) {
        if (store.find(clientId).isEmpty()) {
            return false;
        }
        tokens.revokeAll(clientId);
        return true;
    }

    /** Whether {@code identity} is the id's registration now (not deleted, not replaced by a new one). */
    public boolean isCurrent(DeviceIdentity identity) {
        return store.find(identity.clientId()).map(found -> found.generation() == identity.generation())
                .orElse(false);
    }

    private boolean secretMatches(Device device, String secret) {
        return secrets.verify(device.clientId(), device.generation(), device.secretHash(), secret);
    }

    /** A page of registered devices: see {@link DeviceStore#list}. */
    public List<Device> list(String prefix, String after, int limit) {
        return store.list(prefix, after, limit);
    }

    public Optional<Device> find(String clientId) {
        return store.find(clientId);
    }
}
