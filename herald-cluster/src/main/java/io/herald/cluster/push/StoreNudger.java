package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.cluster.redis.SessionLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the race between storing a message for a device thought offline and the device connecting: a device reads
 * its stored messages when it connects, so one that connected after the lookup but before the store would not see
 * the message until its next reconnect. After storing, the ids are looked up once more and every gateway now
 * holding one of them (other than the one that stored it) is told to have those sessions re-read the store.
 *
 * <p>Best effort: a failed lookup or nudge is logged, never fails the push (the message is stored either way).
 */
final class StoreNudger {
    private static final Logger log = LoggerFactory.getLogger(StoreNudger.class);

    private final Supplier<GatewayMembership> membership;
    private final RedisSessionRegistry sessions;
    private final GatewayLinks links;
    private final Executor blocking;

    StoreNudger(Supplier<GatewayMembership> membership, RedisSessionRegistry sessions, GatewayLinks links,
                Executor blocking) {
        this.membership = membership;
        this.sessions = sessions;
        this.links = links;
        this.blocking = blocking;
    }

    CompletableFuture<Void> nudge(long messageId, StoredTargets stored) {
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return sessions.lookup(stored.clientIds())
                .thenApplyAsync(locations -> toTell(stored, locations), blocking)
                .thenCompose(batches -> tell(messageId, batches))
                .exceptionally(failure -> {
                    log.warn("push {}: could not check whether devices connected while it was stored: {}",
                            messageId, failure.toString());
                    return null;
                });
    }

    private Map<GatewayNode, List<String>> toTell(StoredTargets stored, Map<String, SessionLocation> locations) {
        GatewayMembership live = membership.get();
        Map<GatewayNode, List<String>> batches = new HashMap<>();
        locations.forEach((clientId, location) -> {
            Optional<GatewayNode> holder = Routing.holder(location, live);
            if (holder.isPresent() && stored.mustTell(clientId, holder.get().id())) {
                batches.computeIfAbsent(holder.get(), node -> new ArrayList<>()).add(clientId);
            }
        });
        return batches;
    }

    private CompletableFuture<Void> tell(long messageId, Map<GatewayNode, List<String>> batches) {
        CompletableFuture<?>[] told = batches.entrySet().stream()
                .map(batch -> links.link(batch.getKey()).storeChanged(batch.getValue()).exceptionally(failure -> {
                    log.warn("push {}: could not tell gateway {} that {} of its devices have a stored message: {}",
                            messageId, batch.getKey().id(), batch.getValue().size(), failure.toString());
                    return null;
                }))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(told);
    }
}
