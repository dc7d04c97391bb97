package io.herald.cluster.link.client;

import io.herald.cluster.link.LinkException;
import io.herald.cluster.link.wire.LinkResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests sent on one connection and not yet answered, by request id. Answers complete them; the connection's
 * end fails those left. A request removes itself once completed, however that happens (answer, timeout, failure).
 */
final class PendingRequests {
    private final Map<Long, CompletableFuture<LinkResponse>> byId = new ConcurrentHashMap<>();

    void add(long requestId, CompletableFuture<LinkResponse> response) {
        byId.put(requestId, response);
        response.whenComplete((ignored, failure) -> byId.remove(requestId, response));
    }

    /** @return false when no request waits for it (it timed out, say) */
    boolean complete(LinkResponse response) {
        CompletableFuture<LinkResponse> waiting = byId.get(response.requestId());
        return waiting != null && waiting.complete(response);
    }

    /** @return false when no request waits for it */
    boolean fail(long requestId, LinkException failure) {
        CompletableFuture<LinkResponse> waiting = byId.get(requestId);
        return waiting != null && waiting.completeExceptionally(failure);
    }

    void failAll(LinkException failure) {
        byId.values().forEach(waiting -> waiting.completeExceptionally(failure));
    }
}
