package io.herald.bench.push;

import io.herald.bench.http.HeraldApi;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes to a tag instead of broadcasting: {@code push(null, ...)} goes to every device tagged {@link #tag}, so the
 * broadcast rounds measure a group push unchanged. Pushes to one id go to that id.
 */
public final class TagPusher implements Pusher {
    private static final int TTL_SECONDS = 3_600;

    private final HeraldApi api;
    private final String tag;

    public TagPusher(HeraldApi api, String tag) {
        this.api = api;
        this.tag = tag;
    }

    @Override
    public CompletableFuture<Accepted> push(String clientId, int qos, String payload) {
        CompletableFuture<HeraldApi.PushAccepted> accepted = clientId == null
                ? api.pushToTag(tag, qos, payload, TTL_SECONDS) : api.push(clientId, qos, payload, TTL_SECONDS);
        return accepted.thenApply(a -> new Accepted(a.messageId(), a.online(), a.stored()));
    }

    @Override
    public void close() {
        // The API client belongs to the scenario.
    }
}
