package io.herald.core.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Blocking on a stage for callers that must answer synchronously (a blocking interface in front of an asynchronous
 * writer or client), and reading what a stage failed with.
 */
public final class Stages {
    private Stages() {
    }

    /**
     * Waits for {@code stage} and returns its result. Its failure is thrown as it was (unwrapped) when it is
     * unchecked, so the caller sees the same exception as from a synchronous call; a checked one stays wrapped in
     * the {@link CompletionException}.
     */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * What a stage failed with: the cause of a {@link CompletionException} (which a dependent stage wraps its
     * source's failure in), else the failure itself.
     */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : failure;
    }
}
