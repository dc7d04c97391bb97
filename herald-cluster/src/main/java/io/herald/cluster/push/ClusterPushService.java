package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.cluster.redis.SessionLocation;
import io.herald.core.device.DeviceStore;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import io.herald.core.store.OfflineStore;
import io.herald.protocol.Qos;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes from an API node through the gateways of the cluster.
 *
 * <p>To devices: the ids (each once) are located in Redis with pipelined MGETs and grouped by the gateway holding
 * them. A QoS 1 message is then stored, in one batch on the blocking executor, for every registered id (those with
 * a session count as registered: they logged in), before any gateway gets it: a gateway killed before its devices
 * ack loses nothing, and a failed write fails the push. Each live gateway gets one batch over its link, all at once
 * (QoS 1 as PUSH_STORED: it only hands the message over). Ids nobody holds, ids held by a gateway that has left the
 * membership, and the ids of a batch whose gateway cannot be reached or does not answer in time are offline: a
 * QoS 0 message is dropped for them; a QoS 1 message is already stored for those that are registered (the others are
 * dropped). Then {@link StoreNudger} has any of them that connected meanwhile re-read the store. The gateways'
 * results and the offline handling add up to one result.
 *
 * <p>Broadcast: each live gateway is asked once; the result counts the devices they reached. A gateway that cannot
 * be reached counts nothing (a broadcast is never stored).
 */
public final class ClusterPushService implements PushService {
    private static final Logger log = LoggerFactory.getLogger(ClusterPushService.class);

    private final Supplier<GatewayMembership> membership;
    private final RedisSessionRegistry sessions;
    private final GatewayLinks links;
    private final DeviceStore devices;
    private final OfflineStore offlineStore;
    private final Executor blocking;
    private final StoreNudger nudger;

    /**
     * @param membership   the live gateways, e.g. {@code directory::membership}
     * @param blocking     runs the device and offline store calls (blocking) and the grouping of large batches;
     *                     never a Netty or Lettuce thread
     */
    public ClusterPushService(Supplier<GatewayMembership> membership, RedisSessionRegistry sessions,
                              GatewayLinks links, DeviceStore devices, OfflineStore offlineStore, Executor blocking) {
        this.membership = Objects.requireNonNull(membership, "membership");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.links = Objects.requireNonNull(links, "links");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.offlineStore = Objects.requireNonNull(offlineStore, "offlineStore");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.nudger = new StoreNudger(membership, sessions, links, blocking);
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, PushTargets targets) {
        if (targets instanceof PushTargets.Devices list) {
            return pushTo(message, list.clientIds());
        }
        return broadcast(message);
    }

    private CompletableFuture<PushResult> pushTo(PushMessage message, List<String> clientIds) {
        Set<String> unique = new LinkedHashSet<>(clientIds);
        CompletableFuture<Map<String, SessionLocation>> located;
        try {
            located = sessions.lookup(unique);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e); // an empty id: the API checks ids, so a caller's bug
        }
        return located
                .thenComposeAsync(locations -> storeFirst(message, Routing.of(unique, locations, membership.get())),
                        blocking)
                .thenCompose(outcome -> sendBatches(message, outcome))
                .thenApply(outcome -> handleOffline(message, outcome))
                .thenCompose(outcome -> nudger.nudge(message.messageId(), outcome.stored())
                        .thenApply(nudged -> outcome.result()));
    }

    /**
     * Blocking (the device lookup). QoS 1: stores the message for every registered target, the ones with a session
     * included, and keeps whom it was stored for; completes once the write is durable, without holding this thread
     * meanwhile (many pushes then share one commit, see {@link OfflineStore#storeDurably}). QoS 0: stores nothing.
     */
    private CompletableFuture<PushOutcome> storeFirst(PushMessage message, Routing routing) {
        if (message.qos() == Qos.AT_MOST_ONCE) {
            return CompletableFuture.completedFuture(new PushOutcome(message.messageId(), routing, null));
        }
        Set<String> registered = new HashSet<>(devices.existing(routing.offline()));
        routing.batches().values().forEach(registered::addAll);
        return offlineStore.storeDurably(registered, message)
                .thenApply(durable -> new PushOutcome(message.messageId(), routing, registered));
    }

    private CompletableFuture<PushOutcome> sendBatches(PushMessage message, PushOutcome outcome) {
        Routing routing = outcome.routing();
        List<CompletableFuture<Void>> answers = new ArrayList<>(routing.batches().size());
        routing.batches().forEach((node, batch) -> answers.add(send(node, message, batch, outcome.isStored())
                .handle((result, failure) -> {
                    if (failure == null) {
                        outcome.answered(node, batch, result);
                    } else {
                        log.warn("push {}: gateway {} failed, handling its {} device(s) as offline: {}",
                                message.messageId(), node.id(), batch.size(), failure.toString());
                        outcome.unreachable(batch);
                    }
                    return null;
                })));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> outcome);
    }

    private CompletableFuture<PushResult> send(GatewayNode node, PushMessage message, List<String> batch,
                                               boolean stored) {
        return stored ? links.link(node).pushStored(message, batch) : links.link(node).push(message, batch);
    }

    /** Counts what became of the offline targets; in memory only (what was stored is known), so on any thread. */
    private PushOutcome handleOffline(PushMessage message, PushOutcome outcome) {
        List<String> offline = outcome.offline();
        if (offline.isEmpty()) {
            return outcome;
        }
        if (message.qos() == Qos.AT_MOST_ONCE) {
            outcome.dropped(offline.size());
            return outcome;
        }
        Set<String> registered = outcome.storedFor(offline);
        outcome.storedByThisNode(registered);
        outcome.dropped(offline.size() - registered.size());
        return outcome;
    }

    private CompletableFuture<PushResult> broadcast(PushMessage message) {
        PushOutcome outcome = new PushOutcome(message.messageId(), new Routing(Map.of(), List.of()), null);
        List<GatewayNode> gateways = membership.get().nodes();
        CompletableFuture<?>[] answers = gateways.stream()
                .map(node -> links.link(node).broadcast(message).handle((result, failure) -> {
                    if (failure == null) {
                        outcome.answered(node, List.of(), result);
                    } else {
                        log.warn("broadcast {}: gateway {} failed, its devices do not get it: {}",
                                message.messageId(), node.id(), failure.toString());
                    }
                    return null;
                }))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(answers).thenApply(done -> outcome.result());
    }
}
