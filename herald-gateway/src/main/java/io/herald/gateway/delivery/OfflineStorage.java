package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import io.herald.gateway.metrics.GatewayMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the blocking {@link OfflineStore} off the event loops. Operations for one client id run on one
 * single-threaded stripe, in submission order: a replay fetch submitted after a store or a remove sees its
 * effect, which is what keeps stored messages in order and never lost between sessions.
 */
public final class OfflineStorage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OfflineStorage.class);
    private static final int DISCARD_BATCH = 256;

    private final OfflineStore store;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final ExecutorService[] stripes;
    /** Per stripe, the last delete handed to the store; read and written on that stripe's thread only. */
    private final CompletableFuture<?>[] lastRemoval;

    public OfflineStorage(OfflineStore store, GatewayMetrics metrics, Clock clock, int stripeCount) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.stripes = new ExecutorService[stripeCount];
        this.lastRemoval = new CompletableFuture<?>[stripeCount];
        Arrays.fill(lastRemoval, CompletableFuture.completedFuture(null));
        for (int i = 0; i < stripeCount; i++) {
            int index = i;
            stripes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "herald-offline-" + index);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /**
     * Stores the messages for one client, in order. Completes after every operation submitted before it for the
     * client, even with nothing to store: a closing session's hand-off then also covers the removals its last
     * ACKs asked for, so whoever waits for it sees the store as the session left it.
     */
    public CompletableFuture<Void> store(String clientId, List<PushMessage> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.runAsync(() -> afterRemovals(clientId), stripe(clientId));
        }
        List<PushMessage> copy = List.copyOf(messages);
        return CompletableFuture.runAsync(() -> {
            afterRemovals(clientId);
            for (PushMessage message : copy) {
                store.store(List.of(clientId), message);
            }
            metrics.offlineStored(copy.size());
        }, stripe(clientId)).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("[{}] could not store {} offline message(s)", clientId, copy.size(), error);
            }
        });
    }

    /**
     * Stores one message, in one batch call, for connected clients about to be handed it and for offline ones
     * (only these count as stored for offline devices). Runs on the caller's executor choice, outside the stripes:
     * a connected client's queue gets the message only once the returned stage completed, and a replay that ran
     * before the write is followed by another fetch ({@link DownstreamQueue#offerStored}), so no per-client ordering
     * is at stake. Returns once the rows are written; the stage completes once they are durable
     * ({@link OfflineStore#storeDurably}): the caller waits for it without holding its thread, so that many pushes
     * share one flush of an embedded database's file.
     */
    public CompletableFuture<Void> storeForMany(Collection<String> connected, Collection<String> offline,
                                                PushMessage message) {
        List<String> all = new ArrayList<>(connected.size() + offline.size());
        all.addAll(connected);
        all.addAll(offline);
        if (all.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // Not counted here: the push's answer says how many it stored, and the API counts that
        // (herald_offline_stored_total), in standalone and in a cluster, where the API node stores itself.
        return store.storeDurably(all, message);
    }

    public CompletableFuture<List<PushMessage>> pending(String clientId, int limit) {
        return CompletableFuture.supplyAsync(() -> {
            afterRemovals(clientId);
            return new ArrayList<>(store.pending(clientId, clock.millis(), limit));
        }, stripe(clientId));
    }

    /**
     * Removes an acked message. The stripe only hands the delete to the store ({@link OfflineStore#removeSoon}: a
     * grouping store deletes many ACKs in one transaction), and the stripe's next store or read first waits for it,
     * so the per-client order holds as if the delete had run on the stripe.
     */
    public CompletableFuture<Void> remove(String clientId, long messageId) {
        int index = stripeIndex(clientId);
        return CompletableFuture.supplyAsync(() -> {
            CompletableFuture<Void> removed = store.removeSoon(clientId, messageId);
            lastRemoval[index] = removed;
            return removed;
        }, stripes[index]).thenCompose(removed -> removed).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("[{}] could not remove delivered message {} from the offline store", clientId,
                        messageId, error);
            }
        });
    }

    /**
     * Deletes the client's stored messages created before {@code beforeMillis} (an MQTT clean session starting then),
     * oldest first, in batches; a message pushed once the session began stays. On the client's stripe, so it runs after
     * the stores and removals submitted before it. Completes with how many were deleted.
     */
    public CompletableFuture<Integer> discardStoredBefore(String clientId, long beforeMillis) {
        return CompletableFuture.supplyAsync(() -> {
            afterRemovals(clientId);
            int deleted = 0;
            while (true) {
                List<PushMessage> batch = store.pending(clientId, clock.millis(), DISCARD_BATCH);
                int deletedNow = 0;
                for (PushMessage message : batch) {
                    if (message.createdAt() >= beforeMillis) {
                        return deleted; // pending is in id (creation) order: the rest are newer still
                    }
                    store.remove(clientId, message.messageId());
                    deletedNow++;
                }
                deleted += deletedNow;
                if (batch.size() < DISCARD_BATCH) {
                    return deleted;
                }
            }
        }, stripe(clientId)).whenComplete((deleted, error) -> {
            if (error != null) {
                log.error("[{}] could not discard stored messages for a clean session", clientId, error);
            } else if (deleted > 0) {
                log.info("[{}] discarded {} stored message(s): the device started a clean session", clientId, deleted);
            }
        });
    }

    /** On the client's stripe: waits for the deletes handed to the store before (their failure is logged above). */
    private void afterRemovals(String clientId) {
        lastRemoval[stripeIndex(clientId)].exceptionally(failure -> null).join();
    }

    private ExecutorService stripe(String clientId) {
        return stripes[stripeIndex(clientId)];
    }

    private int stripeIndex(String clientId) {
        return Math.floorMod(clientId.hashCode(), stripes.length);
    }

    /** Finishes what was submitted (bounded wait) and stops the stripes. */
    @Override
    public void close() {
        for (ExecutorService stripe : stripes) {
            stripe.shutdown();
        }
        for (ExecutorService stripe : stripes) {
            try {
                if (!stripe.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("offline store writes still running after 10 s at shutdown");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
