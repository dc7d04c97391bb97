package io.herald.cluster.redis;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.security.Token;
import io.herald.core.security.TokenStore;
import io.lettuce.core.ScriptOutputType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device tokens in Redis, so a token issued by any API node is accepted by every gateway. Redis expires tokens by
 * itself: nothing needs purging. Keys (see {@link RedisKeys}):
 *
 * <pre>
 * {prefix}token:{token}             → "{generation} {clientId}"   expires with the token
 * {prefix}client-tokens:{clientId}  → {token, ...}                expires with the longest-lived token, for revokeAll
 * </pre>
 * A token value written before generations existed holds the bare client id, and resolves to generation 0, the
 * generation such a device was given by the schema migration. Issuing and revoking are Lua scripts, so a token is
 * either issued before a revokeAll (and deleted by it) or after.
 *
 * <p>The blocking {@link TokenStore} methods wait at most the command timeout; a Redis failure surfaces as Lettuce's
 * unchecked {@code RedisException} (e.g. {@code RedisCommandTimeoutException}). Gateways check tokens with
 * {@link #resolveAsync(String)}, which never blocks the calling thread. Token values are never logged.
 */
public final class RedisTokenStore implements TokenStore {
    private static final int TOKEN_BYTES = 32;
    /** 32 bytes in unpadded base64url. Anything else was not issued here and is refused without asking Redis. */
    private static final Pattern TOKEN_FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    /**
     * A device that logs in often accumulates tokens in its set; past this size, issuing a token also drops the
     * members that have already expired, so the set stays about as large as the number of live tokens.
     */
    static final int PRUNE_THRESHOLD = 32;
    private static final Logger log = LoggerFactory.getLogger(RedisTokenStore.class);

    /*
     * KEYS[1] token key, KEYS[2] client's token set; ARGV[1] client id, ARGV[2] ttl in ms, ARGV[3] token,
     * ARGV[4] token key prefix, ARGV[5] prune threshold. The set's expiry only ever grows (PTTL is -1 on a set
     * without one), so it outlives every token it lists.
     */
    private static final LuaScript ISSUE = new LuaScript("issue-token", """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[3])
            if redis.call('SCARD', KEYS[2]) > tonumber(ARGV[5]) then
              for _, token in ipairs(redis.call('SMEMBERS', KEYS[2])) do
                if redis.call('EXISTS', ARGV[4] .. token) == 0 then
                  redis.call('SREM', KEYS[2], token)
                end
              end
            end
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then
              redis.call('PEXPIRE', KEYS[2], ARGV[2])
            end
            return 1
            """);

    /* KEYS[1] client's token set; ARGV[1] token key prefix. Returns how many tokens were listed. */
    private static final LuaScript REVOKE_ALL = new LuaScript("revoke-tokens", """
            local tokens = redis.call('SMEMBERS', KEYS[1])
            for _, token in ipairs(tokens) do
              redis.call('DEL', ARGV[1] .. token)
            end
            redis.call('DEL', KEYS[1])
            return #tokens
            """);

    private final RedisConnections connections;
    private final RedisKeys keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RedisTokenStore(RedisConnections connections, Clock clock) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.keys = connections.keys();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RedisTokenStore(RedisConnections connections) {
        this(connections, Clock.systemUTC());
    }

    /* KEYS[1] token key, KEYS[2] client's token set; ARGV[1] token. */
    private static final LuaScript REVOKE = new LuaScript("revoke-token", """
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[2], ARGV[1])
            return 1
            """);

    /** Issues a token valid for {@code ttl} (at least one millisecond; Redis expires it with millisecond precision). */
    @Override
    public Token issue(DeviceIdentity identity, Duration ttl) {
        String clientId = identity.clientId();
        requireClientId(clientId);
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("token ttl must be at least 1 ms, was " + ttl);
        }
        String value = newTokenValue();
        Token token = new Token(value, clientId, identity.generation(), clock.instant().plus(ttl));
        RedisFutures.await(ISSUE.run(connections.async(), ScriptOutputType.INTEGER,
                new String[] {keys.token(value), keys.clientTokens(clientId)},
                identity.generation() + " " + clientId, Long.toString(ttl.toMillis()), value, keys.tokenPrefix(),
                Integer.toString(PRUNE_THRESHOLD)));
        return token;
    }

    /** Blocking form of {@link #resolveAsync(String)}. */
    @Override
    public Optional<DeviceIdentity> resolve(String token) {
        return RedisFutures.await(resolveAsync(token));
    }

    /** The registration the token was issued to, if it exists and has not expired; completes on a Lettuce thread. */
    public CompletableFuture<Optional<DeviceIdentity>> resolveAsync(String token) {
        if (token == null || !TOKEN_FORMAT.matcher(token).matches()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return connections.async().get(keys.token(token)).toCompletableFuture()
                .thenApply(stored -> Optional.ofNullable(stored).map(RedisTokenStore::identity));
    }

    /** "{generation} {clientId}", or a bare client id stored before generations existed (generation 0). */
    static DeviceIdentity identity(String stored) {
        int space = stored.indexOf(' ');
        if (space < 0) {
            return new DeviceIdentity(stored, 0);
        }
        return new DeviceIdentity(stored.substring(space + 1), Long.parseLong(stored.substring(0, space)));
    }

    /** Revokes one token; the client id is looked up first, to keep the client's token set in step. */
    @Override
    public void revoke(String token) {
        if (token == null || !TOKEN_FORMAT.matcher(token).matches()) {
            return;
        }
        resolve(token).ifPresent(identity -> RedisFutures.await(REVOKE.run(connections.async(),
                ScriptOutputType.INTEGER, new String[] {keys.token(token), keys.clientTokens(identity.clientId())},
                token)));
    }

    @Override
    public void revokeAll(String clientId) {
        requireClientId(clientId);
        Long revoked = RedisFutures.await(REVOKE_ALL.<Long>run(connections.async(), ScriptOutputType.INTEGER,
                new String[] {keys.clientTokens(clientId)}, keys.tokenPrefix()));
        log.debug("revoked {} token(s) of client {}", revoked, clientId);
    }

    private String newTokenValue() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void requireClientId(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("client id must not be empty");
        }
    }
}
