package io.herald.core.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens in process memory, for standalone mode. Expired tokens are dropped on lookup and by
 * {@link #purgeExpired()}, which the owner calls periodically so that abandoned tokens do not pile up.
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
    public Token issue(String clientId, Duration ttl) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Token token = new Token(value, clientId, clock.instant().plus(ttl));
        byValue.put(value, token);
        byClient.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet()).add(value);
        return token;
    }

    @Override
    public Optional<String> resolve(String value) {
        Token token = byValue.get(value);
        if (token == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(token.expiresAt())) {
            remove(token);
            return Optional.empty();
        }
        return Optional.of(token.clientId());
    }

    @Override
    public void revokeAll(String clientId) {
        Set<String> values = byClient.remove(clientId);
        if (values != null) {
            values.forEach(byValue::remove);
        }
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
        byValue.remove(token.value());
        byClient.computeIfPresent(token.clientId(), (id, values) -> {
            values.remove(token.value());
            return values.isEmpty() ? null : values;
        });
    }
}
