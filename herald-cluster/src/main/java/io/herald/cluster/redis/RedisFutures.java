package io.herald.cluster.redis;

import io.herald.core.concurrent.Stages;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Blocking on a Redis future for the callers that cannot be asynchronous (the {@code TokenStore} interface). */
final class RedisFutures {
    private RedisFutures() {
    }

    /**
     * The future's result. Needs no timeout of its own: every command fails by itself after the configured command
     * timeout. A failure is rethrown as it came from Lettuce (a {@link RedisException}, unchecked), except that an
     * unreachable Redis or a command timeout is a {@link RedisUnavailableException} (503 at the HTTP API).
     */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = unavailable(e.getCause() == null ? e : e.getCause());
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new RedisException(cause);
        }
    }

    /** The stage, failing with a {@link RedisUnavailableException} where Redis was unreachable or timed out. */
    static <T> CompletableFuture<T> unavailableOnFailure(CompletionStage<T> stage) {
        return stage.toCompletableFuture().handle((value, failure) -> failure == null
                ? CompletableFuture.completedFuture(value)
                : CompletableFuture.<T>failedFuture(unavailable(Stages.cause(failure))))
                .thenCompose(future -> future);
    }

    private static Throwable unavailable(Throwable failure) {
        if (failure instanceof RedisCommandTimeoutException || failure instanceof RedisConnectionException) {
            return new RedisUnavailableException(failure);
        }
        return failure;
    }
}
