package io.herald.bench.push;

import io.herald.bench.http.HeraldApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Pushes through {@code POST /api/v1/push} (and {@code /api/v1/push/batch}), as an application server would. */
public final class HeraldPusher implements Pusher {
    /** Long enough that a QoS 1 message stored during a restart never expires during the run. */
    private static final int TTL_SECONDS = 3_600;

    private final HeraldApi api;

    public HeraldPusher(HeraldApi api) {
        this.api = api;
    }

    @Override
    public CompletableFuture<Accepted> push(String clientId, int qos, String payload) {
        return api.push(clientId, qos, payload, TTL_SECONDS).thenApply(a -> new Accepted(a.messageId(), a.online(), a.stored()));
    }

    /** One {@code POST /api/v1/push/batch} request. */
    @Override
    public CompletableFuture<BatchAccepted> pushEach(List<String> clientIds, int qos, String payload) {
        return api.pushBatch(clientIds, qos, payload, TTL_SECONDS).thenApply(batch -> {
            List<Accepted> accepted = new ArrayList<>(batch.accepted().size());
            for (HeraldApi.PushAccepted a : batch.accepted()) {
                accepted.add(new Accepted(a.messageId(), a.online(), a.stored()));
            }
            return new BatchAccepted(accepted, batch.failed(), batch.lastError());
        });
    }

    @Override
    public void close() {
        // The API client belongs to the scenario.
    }
}
