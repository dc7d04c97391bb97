package io.herald.cluster.redis;

import io.herald.core.security.LocalRevocations;
import io.herald.core.security.Revocation;
import io.herald.core.security.Revocations;
import io.herald.core.security.TokenClaims;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The revocation list of a cluster, in Redis: API nodes write it, and read a client's mark when they issue a token;
 * gateways read it once per AUTH, right before AUTH_OK (the re-check of docs/reliability.md), and keep a copy in
 * memory ({@link RedisRevocationMirror}) for the first check. Each write is one Lua script that stores the entry
 * and publishes it on {@link RedisKeys#revocationChannel()}, so no copy can miss an entry that is in Redis for
 * longer than a reconnect. Entries expire by themselves (Redis TTL) once every token they could refuse has expired.
 *
 * <p>Entry values are {@code "{mark} {expiresAtMillis}"}; messages are {@code "{C|T} {key} {mark} {expiresAtMillis}"}
 * ({@link #parseMessage}). The blocking methods wait at most the command timeout and throw
 * {@code RedisUnavailableException} when Redis is unreachable: a login or a revocation then fails (503), it never
 * answers as if nothing was revoked.
 */
public final class RedisRevocations implements Revocations {

    /*
     * KEYS[1] client entry; ARGV[1] now ms, ARGV[2] keep ms, ARGV[3] channel, ARGV[4] client id. The mark only grows:
     * max(now, old + 1); the expiry only grows. Returns the new mark.
     */
    private static final LuaScript RAISE = new LuaScript("raise-revocation-mark", """
            local now = tonumber(ARGV[1])
            local mark = now
            local expires = now + tonumber(ARGV[2])
            local old = redis.call('GET', KEYS[1])
            if old then
              local space = string.find(old, ' ')
              local oldMark = tonumber(string.sub(old, 1, space - 1))
              local oldExpires = tonumber(string.sub(old, space + 1))
              if oldMark + 1 > mark then mark = oldMark + 1 end
              if oldExpires > expires then expires = oldExpires end
            end
            local value = string.format('%.0f %.0f', mark, expires)
            redis.call('SET', KEYS[1], value, 'PX', string.format('%.0f', expires - now))
            redis.call('PUBLISH', ARGV[3], 'C ' .. ARGV[4] .. ' ' .. value)
            return mark
            """);

    /* KEYS[1] token entry; ARGV[1] now ms, ARGV[2] expires at ms, ARGV[3] channel, ARGV[4] token id. */
    private static final LuaScript REVOKE_TOKEN = new LuaScript("revoke-token-id", """
            local ttl = tonumber(ARGV[2]) - tonumber(ARGV[1])
            if ttl <= 0 then return 0 end
            local value = '0 ' .. ARGV[2]
            redis.call('SET', KEYS[1], value, 'PX', string.format('%.0f', ttl))
            redis.call('PUBLISH', ARGV[3], 'T ' .. ARGV[4] .. ' ' .. value)
            return 1
            """);

    /*
     * KEYS[1] entry; ARGV[1] now ms, ARGV[2] mark, ARGV[3] expires at ms, ARGV[4] channel, ARGV[5] message. Writes
     * the entry unless Redis has one with a mark as high; returns 1 when it wrote.
     */
    private static final LuaScript RESTORE = new LuaScript("restore-revocation", """
            local ttl = tonumber(ARGV[3]) - tonumber(ARGV[1])
            if ttl <= 0 then return 0 end
            local old = redis.call('GET', KEYS[1])
            if old and tonumber(string.sub(old, 1, string.find(old, ' ') - 1)) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[2] .. ' ' .. ARGV[3], 'PX', string.format('%.0f', ttl))
            redis.call('PUBLISH', ARGV[4], ARGV[5])
            return 1
            """);

    private final RedisConnections connections;
    private final RedisKeys keys;
    private final Clock clock;
    private final long keepClientEntriesMillis;

    /** @param tokenTtl the longest TTL of the tokens the API nodes issue: a client entry lives that long, plus a margin */
    public RedisRevocations(RedisConnections connections, Clock clock, Duration tokenTtl) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.keys = connections.keys();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keepClientEntriesMillis = tokenTtl.plus(LocalRevocations.CLOCK_MARGIN).toMillis();
    }

    /** For a gateway, which only reads. */
    public RedisRevocations(RedisConnections connections, Clock clock) {
        this(connections, clock, Duration.ZERO);
    }

    @Override
    public long markOf(String clientId) {
        String value = RedisFutures.await(connections.async().get(keys.revokedClient(clientId)));
        return value == null ? 0 : mark(value);
    }

    @Override
    public boolean revokes(TokenClaims claims) {
        return RedisFutures.await(revokesAsync(claims));
    }

    /** Whether Redis refuses the token; completes on a Lettuce thread, fails when Redis cannot be asked. */
    public CompletableFuture<Boolean> revokesAsync(TokenClaims claims) {
        return RedisFutures.unavailableOnFailure(connections.async()
                .mget(keys.revokedClient(claims.clientId()), keys.revokedToken(claims.tokenId())))
                .thenApply(values -> revokedBy(values, claims));
    }

    private static boolean revokedBy(List<KeyValue<String, String>> values, TokenClaims claims) {
        KeyValue<String, String> client = values.get(0);
        KeyValue<String, String> token = values.get(1);
        return (client.hasValue() && claims.revocationMark() < mark(client.getValue())) || token.hasValue();
    }

    @Override
    public void revokeToken(TokenClaims claims) {
        RedisFutures.await(REVOKE_TOKEN.run(connections.async(), ScriptOutputType.INTEGER,
                new String[] {keys.revokedToken(claims.tokenId())}, Long.toString(clock.millis()),
                Long.toString(claims.expiresAt().toEpochMilli()), keys.revocationChannel(), claims.tokenId()));
    }

    @Override
    public void revokeClient(String clientId) {
        if (keepClientEntriesMillis <= 0) {
            throw new IllegalStateException("this node only reads revocations (no token TTL was given)");
        }
        RedisFutures.await(RAISE.run(connections.async(), ScriptOutputType.INTEGER,
                new String[] {keys.revokedClient(clientId)}, Long.toString(clock.millis()),
                Long.toString(keepClientEntriesMillis), keys.revocationChannel(), clientId));
    }

    /**
     * Writes back an entry Redis lost (it restarted without persistence) from a gateway's copy, unless Redis has it
     * already; returns whether it was missing.
     */
    boolean restore(Revocation entry) {
        String key = entry.kind() == Revocation.Kind.CLIENT ? keys.revokedClient(entry.key())
                : keys.revokedToken(entry.key());
        String message = (entry.kind() == Revocation.Kind.CLIENT ? "C " : "T ") + entry.key() + " " + entry.mark()
                + " " + entry.expiresAtMillis();
        Long written = RedisFutures.await(RESTORE.<Long>run(connections.async(), ScriptOutputType.INTEGER,
                new String[] {key}, Long.toString(clock.millis()), Long.toString(entry.mark()),
                Long.toString(entry.expiresAtMillis()), keys.revocationChannel(), message));
        return written != null && written == 1;
    }

    /** The entry stored under {@code key} with {@code value}, or null when the key is not a revocation entry. */
    static Revocation entry(RedisKeys keys, String key, String value) {
        String client = keys.prefix() + RedisKeys.REVOKED_CLIENT;
        String token = keys.prefix() + RedisKeys.REVOKED_TOKEN;
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        if (space < 0) {
            return null;
        }
        long mark = Long.parseLong(value.substring(0, space));
        long expiresAt = Long.parseLong(value.substring(space + 1));
        if (key.startsWith(client)) {
            return Revocation.client(key.substring(client.length()), mark, expiresAt);
        }
        if (key.startsWith(token)) {
            return Revocation.token(key.substring(token.length()), expiresAt);
        }
        return null;
    }

    /** A published message, or null when it is malformed. */
    static Revocation parseMessage(String message) {
        String[] fields = message.split(" ");
        if (fields.length != 4) {
            return null;
        }
        try {
            long mark = Long.parseLong(fields[2]);
            long expiresAt = Long.parseLong(fields[3]);
            return switch (fields[0]) {
                case "C" -> Revocation.client(fields[1], mark, expiresAt);
                case "T" -> Revocation.token(fields[1], expiresAt);
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long mark(String value) {
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space));
    }
}
