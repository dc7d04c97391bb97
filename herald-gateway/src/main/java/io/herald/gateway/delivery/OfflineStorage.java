package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import io.herald.gateway.metrics.GatewayMetrics;
import java.time.Clock;
import java.util.ArrayList;
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
 * effect, which is what keeps stored messages in order and never lost between sessions. Removals of acked messages
 * are written in groups across devices ({@link AckedDeletes}); a stripe's read or hand-off writes the queued ones
 * first, so the order still holds.
 */
public final class OfflineStorage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OfflineStorage.class);

    private final OfflineStore store;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final ExecutorService[] stripes;
    private final AckedDeletes deletes;

    public OfflineStorage(OfflineStore store, GatewayMetrics metrics, Clock clock, int stripeCount) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.deletes = new AckedDeletes(store);
        this.stripes = new ExecutorService[stripeCount];
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
            return CompletableFuture.runAsync(deletes::flush, stripe(clientId));
        }
        List<PushMessage> copy = List.copyOf(messages);
        return CompletableFuture.runAsync(() -> {
            deletes.flush();
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
            deletes.flush(); // what the device acked must not come back
            return new ArrayList<>(store.pending(clientId, clock.millis(), limit));
        }, stripe(clientId));
    }

    /**
     * Removes a message the device acked, in the next group of deletes (within a few milliseconds); a later
     * {@link #pending} or {@link #store} for the client sees it removed. Returns at once.
     */
    public void remove(String clientId, long messageId) {
        deletes.add(clientId, messageId);
    }

    private ExecutorService stripe(String clientId) {
        return stripes[Math.floorMod(clientId.hashCode(), stripes.length)];
    }

    /** Finishes what was submitted (bounded wait), writes the queued deletes and stops. */
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
        deletes.close();
    }
}
