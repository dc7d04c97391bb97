package io.herald.bench.push;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where a scenario sends its pushes: Herald's HTTP push API or the baseline's control connection. */
public interface Pusher extends AutoCloseable {

    /** The push was accepted; {@code online} devices had it written to them, {@code stored} offline ones got it stored. */
    record Accepted(long messageId, int online, int stored) {
    }

    /** What became of a batch: the accepted messages, and how many were refused (the last reason kept). */
    record BatchAccepted(List<Accepted> accepted, int failed, String lastFailure) {
    }

    /** @param clientId the target device, or null for a broadcast */
    CompletableFuture<Accepted> push(String clientId, int qos, String payload);

    /**
     * One message to each of {@code clientIds}, with the same payload: in one request where the target has a
     * batch form; here, one push each (the baseline relays frame by frame anyway). Never fails as a whole for a
     * message's failure: that is counted in the outcome.
     */
    default CompletableFuture<BatchAccepted> pushEach(List<String> clientIds, int qos, String payload) {
        List<CompletableFuture<Accepted>> pushes = new ArrayList<>(clientIds.size());
        for (String clientId : clientIds) {
            pushes.add(push(clientId, qos, payload));
        }
        return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).handle((all, error) -> {
            List<Accepted> accepted = new ArrayList<>(pushes.size());
            String lastFailure = null;
            for (CompletableFuture<Accepted> push : pushes) {
                if (push.isCompletedExceptionally()) {
                    lastFailure = String.valueOf(push.handle((ok, failure) -> failure).join());
                } else {
                    accepted.add(push.join());
                }
            }
            return new BatchAccepted(accepted, pushes.size() - accepted.size(), lastFailure);
        });
    }

    @Override
    void close();
}
