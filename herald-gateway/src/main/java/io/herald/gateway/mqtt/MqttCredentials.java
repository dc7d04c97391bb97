package io.herald.gateway.mqtt;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceIdentity;
import io.herald.core.device.DeviceService;
import io.herald.core.device.DeviceStore;
import io.herald.core.limit.LoginThrottle;
import io.herald.core.security.SecretVerifier;
import io.herald.core.time.Durations;
import io.herald.gateway.session.DeviceAuthenticator;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Checks an MQTT CONNECT's password for its client id. Two credentials are accepted, because MQTT devices come in two
 * kinds: the password is a <b>login token</b> from the HTTP API (as the binary protocol's AUTH carries: it expires, can
 * be revoked, and the device's secret never reaches a gateway), or else the <b>device secret</b> itself, for firmware
 * that cannot log in over HTTP first and only knows fixed MQTT credentials. A token is tried first (in memory, no
 * lookup); only a password that is no token of this client id is checked as a secret, off the event loop (a registry
 * lookup and a slow hash, remembered per device by the {@link SecretVerifier} as for HTTP logins). Either way the
 * client id must be the one the credential belongs to.
 *
 * <p>Wrong secrets are counted like failed HTTP logins ({@link LoginThrottle}: per client id and address, per client
 * id, per address), and a client id or address over its budget is refused before its secret is checked
 * ({@link Throttled}): MQTT is no way around the login limits. A token is never counted: it cannot be guessed.
 */
final class MqttCredentials {
    /** The device a password proved, and the second look at it SessionManager makes after binding the session. */
    record Verified(DeviceIdentity identity, Supplier<CompletableFuture<Boolean>> stillValid) {
    }

    /** Too many wrong secrets for the client id or from the address: the secret is not checked. */
    static final class Throttled extends RuntimeException {
        Throttled(Duration wait) {
            super("too many wrong passwords for this client id or from this address; try again in "
                    + Durations.format(wait), null, false, false);
        }
    }

    private final DeviceAuthenticator tokens;
    private final DeviceStore devices;
    private final SecretVerifier secrets;
    private final LoginThrottle throttle;
    private final Executor blocking;

    MqttCredentials(DeviceAuthenticator tokens, DeviceStore devices, SecretVerifier secrets, LoginThrottle throttle,
                    Executor blocking) {
        this.tokens = tokens;
        this.devices = devices;
        this.secrets = secrets;
        this.throttle = throttle;
        this.blocking = blocking;
    }

    /**
     * Empty when the password is neither a valid token nor the secret of {@code clientId}; fails with
     * {@link Throttled} when the secret may not be tried now.
     *
     * @param source the device's address, for the failure counts; null when unknown (not counted)
     */
    CompletableFuture<Optional<Verified>> verify(String clientId, String password, InetAddress source) {
        return tokens.authenticate(password).thenCompose(identity -> {
            if (identity.isPresent() && identity.get().clientId().equals(clientId)) {
                return CompletableFuture.completedFuture(Optional.of(new Verified(identity.get(),
                        () -> tokens.confirm(password).thenApply(again -> again.equals(identity)))));
            }
            if (DeviceService.secretProblem(password) != null) {
                return CompletableFuture.completedFuture(Optional.empty()); // cannot be a secret: no lookup
            }
            Duration wait = source == null ? null : throttle.blockedFor(clientId, source);
            if (wait != null) {
                return CompletableFuture.failedFuture(new Throttled(wait));
            }
            return CompletableFuture.supplyAsync(() -> {
                Optional<Verified> verified = bySecret(clientId, password);
                if (verified.isEmpty() && source != null) {
                    throttle.failed(clientId, source);
                }
                return verified;
            }, blocking);
        });
    }

    private Optional<Verified> bySecret(String clientId, String secret) {
        return devices.find(clientId)
                .filter(device -> secrets.verify(device.clientId(), device.generation(), device.secretHash(), secret))
                .map(device -> new Verified(device.identity(), () -> stillRegistered(device.identity())));
    }

    /** The registration is still the one the secret matched: not deleted, not registered anew since. */
    private CompletableFuture<Boolean> stillRegistered(DeviceIdentity identity) {
        return CompletableFuture.supplyAsync(() -> devices.find(identity.clientId()).map(Device::identity)
                .filter(identity::equals).isPresent(), blocking);
    }
}
