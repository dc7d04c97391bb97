package io.herald.core.push;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The store step of {@link StoreFirstPushService}: writes a QoS 1 message, in one call, for the targets about to be
 * handed it (connected: their ACK deletes it in moments) and for the registered targets that are offline. Returns
 * once the write is queued; the stage completes once it is durable ({@link OfflineStore#storeDurably}), so that the
 * caller waits without holding a thread and many pushes share one commit. May block when the store writes a large
 * batch at once.
 */
@FunctionalInterface
public interface PushStore {

    CompletableFuture<Void> storeDurably(Collection<String> connected, Collection<String> offline,
                                         PushMessage message);

    /** Both kinds of target in one {@link OfflineStore#storeDurably} call (a cluster API node's store). */
    static PushStore of(OfflineStore store) {
        return (connected, offline, message) -> {
            List<String> all = new ArrayList<>(connected.size() + offline.size());
            all.addAll(connected);
            all.addAll(offline);
            return store.storeDurably(all, message);
        };
    }
}
