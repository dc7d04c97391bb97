package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.idempotency.Claim;
import io.herald.core.idempotency.IdempotencyStore;
import io.herald.core.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the push routes safe to retry: a request with an {@code Idempotency-Key} that was answered before, within
 * the window, gets that answer again (with {@code Idempotent-Replayed: true}) and pushes nothing. The rules, the
 * same in standalone and cluster since the keys live in the shared database:
 * <ul>
 *   <li>Only a success (2xx) is kept. A 5xx frees the key, so the retry pushes (a failed push may have reached
 *       some devices, as its error says). Validation errors are answered before the key is looked at.</li>
 *   <li>The same key with another route or body: 422 {@code idempotency_key_reused}, nothing pushed.</li>
 *   <li>The same key while its first request is still being served (on any node): 409
 *       {@code idempotency_key_in_use} with Retry-After, nothing pushed. A claim whose node died is freed after
 *       {@link #ABANDONED_AFTER}.</li>
 * </ul>
 */
final class IdempotentPushes {
    private static final Logger log = LoggerFactory.getLogger(IdempotentPushes.class);
    /** Longer than any request may take (the request timeout is 30 s): a claim this old lost its node. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);
    private static final Duration IN_USE_RETRY_AFTER = Duration.ofSeconds(1);

    private final IdempotencyStore store;
    private final Duration window;
    private final Clock clock;

    IdempotentPushes(IdempotencyStore store, Duration window, Clock clock) {
        this.store = store;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Serves {@code push} once per key: runs it when the request has no key or a free one, else answers from the
     * store. Runs on a blocking thread (the store is a database), and completes the key on one too.
     */
    HttpResponse serve(ServiceRequestContext ctx, AggregatedHttpRequest request, String route,
                       Supplier<CompletableFuture<AggregatedHttpResponse>> push) {
        String key = IdempotencyKeys.of(request);
        if (key == null) {
            return HttpResponse.of(push.get().thenApply(AggregatedHttpResponse::toHttpResponse));
        }
        String fingerprint = IdempotencyKeys.fingerprint(route, request);
        long now = clock.millis();
        Claim claim = store.claim(IdempotencyKeys.hash(key), fingerprint, now, now + window.toMillis(),
                ABANDONED_AFTER.toMillis());
        if (claim.kind() != Claim.Kind.CLAIMED && !claim.sameRequest(fingerprint)) {
            return JsonErrors.response(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCodes.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request (another route or body) within the last "
                            + Durations.format(window) + "; use a new key for a new push");
        }
        if (claim.kind() == Claim.Kind.IN_PROGRESS) {
            return JsonErrors.withRetryAfter(HttpStatus.CONFLICT, ErrorCodes.IDEMPOTENCY_KEY_IN_USE,
                    IN_USE_RETRY_AFTER, "a request with this Idempotency-Key is still being served");
        }
        if (claim.kind() == Claim.Kind.COMPLETED) {
            log.debug("push answered again from its Idempotency-Key");
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.valueOf(claim.status()))
                    .contentType(MediaType.JSON_UTF_8)
                    .add(HttpHeaderNames.of(IdempotencyKeys.REPLAYED_HEADER), "true")
                    .build(), HttpData.wrap(claim.body()));
        }
        CompletableFuture<AggregatedHttpResponse> answered;
        try {
            answered = push.get();
        } catch (RuntimeException e) {
            store.release(claim);
            throw e;
        }
        return HttpResponse.of(answered.handleAsync((response, failure) -> {
            keep(claim, response, failure);
            if (failure != null) {
                throw new CompletionException(failure);
            }
            return response.toHttpResponse();
        }, ctx.blockingTaskExecutor()));
    }

    /** Keeps a success for replays, frees the key otherwise; a store failure here does not undo the push's answer. */
    private void keep(Claim claim, AggregatedHttpResponse response, Throwable failure) {
        try {
            if (failure == null && response.status().isSuccess()) {
                store.complete(claim, response.status().code(), response.content().array());
            } else {
                store.release(claim);
            }
        } catch (RuntimeException e) {
            log.warn("could not keep the answer of an idempotent push; its key is freed after {}", ABANDONED_AFTER,
                    e);
        }
    }
}
