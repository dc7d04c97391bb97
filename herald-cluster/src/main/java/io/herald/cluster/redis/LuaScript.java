package io.herald.cluster.redis;

import io.herald.core.concurrent.Stages;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so the body crosses the network only when Redis does not know it
 * yet: on first use and after Redis restarted, which empties its script cache. Each script runs atomically in Redis.
 */
final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    String name() {
        return name;
    }

    /** Runs the script on one connection. */
    <T> CompletableFuture<T> run(RedisAsyncCommands<String, String> commands, ScriptOutputType type, String[] keys,
                                 String... args) {
        return run(commands, commands, type, keys, args);
    }

    /**
     * Runs the script on {@code via}, which may be a connection that only sends when flushed; if Redis does not know
     * the script, sends the body on {@code fallback}, which must flush by itself.
     */
    <T> CompletableFuture<T> run(RedisAsyncCommands<String, String> via, RedisAsyncCommands<String, String> fallback,
                                 ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> bySha = via.<T>evalsha(sha1, type, keys, args).toCompletableFuture();
        return bySha.handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = Stages.cause(failure);
            if (isUnknownScript(cause)) {
                return fallback.<T>eval(source, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(future -> future);
    }

    private static boolean isUnknownScript(Throwable failure) {
        return failure instanceof RedisNoScriptException
                || (failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT"));
    }

    private static String sha1Hex(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + ", sha1=" + sha1 + "]";
    }
}
