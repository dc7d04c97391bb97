package io.herald.bench.push;

import java.util.concurrent.CompletableFuture;

/** Where a scenario sends its pushes: Herald's HTTP push API or the baseline's control connection. */
public interface Pusher extends AutoCloseable {

    /** The push was accepted; {@code online} devices had it written to them, {@code stored} offline ones got it stored. */
    record Accepted(long messageId, int online, int stored) {
    }

    /** @param clientId the target device, or null for a broadcast */
    CompletableFuture<Accepted> push(String clientId, int qos, String payload);

    @Override
    void close();
}
