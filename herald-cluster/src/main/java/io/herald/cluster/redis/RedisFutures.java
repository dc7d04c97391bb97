package io.herald.cluster.redis;

import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Blocking on a Redis future for the callers that cannot be asynchronous (the {@code TokenStore} interface). */
final class RedisFutures {
    private RedisFutures() {
    }

    /**
     * The future's result. Needs no timeout of its own: every command fails by itself after the configured command
     * timeout. A failure is rethrown as it came from Lettuce (a {@link RedisException}, unchecked).
     */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new RedisException(cause);
        }
    }
}
