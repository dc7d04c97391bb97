package io.herald.core.security;

import io.herald.core.device.DeviceIdentity;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens in process memory, for standalone mode. Expired tokens are dropped on lookup and by
 * {@link #purgeExpired()}, which the owner calls periodically so that abandoned tokens do not pile up.
 *
 * <p>A client's token set is only changed inside {@code byClient.compute*} for that client id, which holds the
 * map's lock for the id: issuing a token and revoking all of them are therefore atomic with respect to each other,
 * so no token issued concurrently with {@link #revokeAll} can survive it unseen.
 */
public final class InMemoryTokenStore implements TokenStore {
    private static final int TOKEN_BYTES = 32;

    private final Map<String, Token> byValue = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byClient = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public InMemoryTokenStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Token issue(DeviceIdentity identity, Duration ttl) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Token token = new Token(value, identity.clientId(), identity.generation(), clock.instant().plus(ttl));
        byClient.compute(identity.clientId(), (id, values) -> {
            Set<String> set = values == null ? new HashSet<>() : values;
            set.add(value);
            byValue.put(value, token);
            return set;
        });
        return token;
    }

    @Override
    public Optional<DeviceIdentity> resolve(String value) {
        Token token = byValue.get(value);
        if (token == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(token.expiresAt())) {
            remove(token);
            return Optional.empty();
        }
        return Optional.of(token.identity());
    }

    @Override
    public void revoke(String value) {
        Token token = byValue.get(value);
        if (token != null) {
            remove(token);
        }
    }

    @Override
    public void revokeAll(String clientId) {
        byClient.computeIfPresent(clientId, (id, values) -> {
            values.forEach(byValue::remove);
            return null;
        });
    }

    /** Drops expired tokens; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        int removed = 0;
        for (Token token : byValue.values()) {
            if (!now.isBefore(token.expiresAt())) {
                remove(token);
                removed++;
            }
        }
        return removed;
    }

    public int size() {
        return byValue.size();
    }

    private void remove(Token token) {
        byClient.computeIfPresent(token.clientId(), (id, values) -> {
            values.remove(token.value());
            byValue.remove(token.value());
            return values.isEmpty() ? null : values;
        });
        byValue.remove(token.value()); // a token whose client set is already gone (revoked meanwhile)
    }
}
