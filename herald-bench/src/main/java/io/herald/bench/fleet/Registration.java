package io.herald.bench.fleet;

import io.herald.bench.http.HeraldApi;
import io.herald.bench.load.InFlightLimit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registers (and tags) the fleet's ids through the API before a run (not measured). A call that timed out or met a
 * server error is tried again (at most {@link #ATTEMPTS} times in all): on a loaded machine the API nodes' secret
 * hashing falls behind a fleet of 200,000, and both calls are idempotent (registering an id again with the same
 * secret is answered 200, a PUT of the same tags sets the same tags), so a retry is safe even when the first attempt
 * did get through.
 */
public final class Registration {
    static final int ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MILLIS = 500;

    private Registration() {
    }

    /** Registers every id with bounded concurrency; throws when any registration failed or the deadline passed. */
    public static void registerAll(HeraldApi api, List<String> clientIds, int concurrency, long deadlineNanos) {
        forEach(clientIds, concurrency, deadlineNanos, "registration",
                id -> api.register(id, HeraldLogin.secretOf(id)));
    }

    /** Gives every id the one tag {@code tag} (PUT .../tags), like {@link #registerAll}. */
    public static void tagAll(HeraldApi api, List<String> clientIds, String tag, int concurrency, long deadlineNanos) {
        forEach(clientIds, concurrency, deadlineNanos, "tagging", id -> api.setTags(id, List.of(tag)));
    }

    private static void forEach(List<String> clientIds, int concurrency, long deadlineNanos, String what,
                                Function<String, CompletableFuture<Void>> call) {
        InFlightLimit limit = new InFlightLimit(concurrency);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        for (String id : clientIds) {
            if (!limit.acquire(deadlineNanos)) {
                throw new IllegalStateException(what + " did not finish in time");
            }
            withRetries(() -> call.apply(id), ATTEMPTS, retried, deadlineNanos).whenComplete((ok, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                    lastError.set(error);
                }
                limit.release();
            });
        }
        if (!limit.awaitIdle(deadlineNanos)) {
            throw new IllegalStateException(what + " did not finish in time");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " " + what + "(s) failed after " + ATTEMPTS + " attempts ("
                    + retried.get() + " retries in all), last: " + lastError.get(), lastError.get());
        }
    }

    private static CompletableFuture<Void> withRetries(Supplier<CompletableFuture<Void>> call,
                                                       int attemptsLeft, AtomicInteger retried, long deadlineNanos) {
        return call.get().handle((ok, error) -> {
            if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (attemptsLeft <= 1 || !retriable(error) || System.nanoTime() >= deadlineNanos) {
                return CompletableFuture.<Void>failedFuture(error);
            }
            retried.incrementAndGet();
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(RETRY_PAUSE_MILLIS,
                    TimeUnit.MILLISECONDS)).thenCompose(v -> withRetries(call, attemptsLeft - 1, retried, deadlineNanos));
        }).thenCompose(f -> f);
    }

    /** A 4xx is an answer (a taken id, a bad request): only timeouts, transport errors and 5xx are tried again. */
    private static boolean retriable(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return !(cause instanceof HeraldApi.ApiError api) || api.status() >= 500;
    }
}
