package io.herald.core.push;

import io.herald.core.message.PushMessage;
import io.herald.protocol.Qos;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The state of one {@link StoreFirstPushService#pushAll} call as it goes through its steps (locate, store, hand over,
 * nudge), and the one place where what became of each target is counted. Each step runs after the previous one
 * completed; the gateways' answers, which arrive on several threads, are counted under the round's lock.
 *
 * @param <G> a gateway, as the locator names it
 */
final class PushRound<G> {

    /** One message of the round and what became of its targets so far. */
    static final class Entry {
        final PushMessage message;
        /** The distinct targets, in request order. */
        final List<String> clientIds;
        final CompletableFuture<PushResult> result = new CompletableFuture<>();
        /** Completes once the QoS 1 message is durably stored for {@link #storedFor}; done for QoS 0. */
        CompletableFuture<Void> stored = CompletableFuture.completedFuture(null);
        /** Of the targets located nowhere: the registered ones (QoS 1 stores for them). */
        final List<String> registeredNowhere = new ArrayList<>();
        /** Of the targets located nowhere: those not registered, in request order; null for QoS 0 (not looked up). */
        List<String> unknown;
        int online;
        int storedCount;
        int droppedCount;

        Entry(DevicePush push) {
            this.message = push.message();
            this.clientIds = List.copyOf(new LinkedHashSet<>(push.clientIds()));
        }

        boolean isQos1() {
            return message.qos() == Qos.AT_LEAST_ONCE;
        }

        boolean storeFailed() {
            return stored.isCompletedExceptionally();
        }
    }

    private final List<Entry> entries;
    private final Set<String> allIds = new LinkedHashSet<>();
    private Map<String, G> holders = Map.of();
    /** QoS 1 targets that are stored and were not handed over: each may have connected since it was located. */
    private final Set<String> toNudge = new LinkedHashSet<>();

    PushRound(List<DevicePush> pushes) {
        entries = new ArrayList<>(pushes.size());
        for (DevicePush push : pushes) {
            Entry entry = new Entry(push);
            entries.add(entry);
            allIds.addAll(entry.clientIds);
        }
    }

    List<Entry> entries() {
        return entries;
    }

    Set<String> allIds() {
        return allIds;
    }

    boolean hasQos1() {
        return entries.stream().anyMatch(entry -> entry.isQos1() && !entry.clientIds.isEmpty());
    }

    /** Where the locator found the targets. */
    void located(Map<G, List<String>> byGateway) {
        Map<String, G> where = new HashMap<>();
        byGateway.forEach((gateway, ids) -> ids.forEach(clientId -> where.put(clientId, gateway)));
        holders = where;
    }

    /** The targets of QoS 1 messages located nowhere: whether they are registered decides stored or dropped. */
    Set<String> qos1LocatedNowhere() {
        Set<String> nowhere = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.isQos1()) {
                entry.clientIds.stream().filter(clientId -> !holders.containsKey(clientId)).forEach(nowhere::add);
            }
        }
        return nowhere;
    }

    /** Whom one QoS 1 message is stored for: its located targets, and its registered targets located nowhere. */
    record StoreTargets(List<String> connected, List<String> offline) {
        boolean isEmpty() {
            return connected.isEmpty() && offline.isEmpty();
        }
    }

    /**
     * Of the targets located nowhere, these are registered. Returns, per QoS 1 message, whom to store it for: every
     * located target (a device with a session logged in, so it is registered; stored until it acks) and the
     * registered ones located nowhere; the others are unknown.
     */
    Map<Entry, StoreTargets> storeTargets(Set<String> registered) {
        Map<Entry, StoreTargets> targets = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (!entry.isQos1()) {
                continue;
            }
            entry.unknown = new ArrayList<>();
            List<String> connected = new ArrayList<>(entry.clientIds.size());
            for (String clientId : entry.clientIds) {
                if (holders.containsKey(clientId)) {
                    connected.add(clientId);
                } else if (registered.contains(clientId)) {
                    entry.registeredNowhere.add(clientId);
                } else {
                    entry.unknown.add(clientId);
                }
            }
            targets.put(entry, new StoreTargets(connected, List.copyOf(entry.registeredNowhere)));
        }
        return targets;
    }

    /** Per gateway, the part of each message (whose store did not fail) it is to hand over, in message order. */
    Map<G, GatewayShare<G>> shares() {
        Map<G, GatewayShare<G>> shares = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (entry.storeFailed()) {
                continue;
            }
            Map<G, List<String>> byGateway = new LinkedHashMap<>();
            for (String clientId : entry.clientIds) {
                G gateway = holders.get(clientId);
                if (gateway != null) {
                    byGateway.computeIfAbsent(gateway, g -> new ArrayList<>()).add(clientId);
                }
            }
            byGateway.forEach((gateway, ids) -> shares.computeIfAbsent(gateway, GatewayShare::new)
                    .add(entry, new DevicePush(entry.message, ids)));
        }
        return shares;
    }

    /** The gateway's answer for its share; {@code answer} null when it could not be asked. */
    void handedOver(GatewayShare<G> share, List<HandedOver> answer) {
        for (int i = 0; i < share.pushes().size(); i++) {
            Entry entry = share.owners().get(i);
            if (answer == null) {
                notHeld(entry, share.pushes().get(i).clientIds());
            } else {
                entry.online += answer.get(i).online();
                notHeld(entry, answer.get(i).notHeld());
            }
        }
    }

    private void notHeld(Entry entry, Collection<String> clientIds) {
        if (entry.isQos1()) {
            entry.storedCount += clientIds.size(); // stored for every located target before the hand-over
            toNudge.addAll(clientIds);
        } else {
            entry.droppedCount += clientIds.size();
        }
    }

    /** Counts the targets located nowhere, once the hand-over is done. */
    void countLocatedNowhere() {
        for (Entry entry : entries) {
            if (entry.storeFailed()) {
                continue;
            }
            if (entry.isQos1()) {
                entry.storedCount += entry.registeredNowhere.size();
                entry.droppedCount += entry.unknown.size();
                toNudge.addAll(entry.registeredNowhere);
            } else {
                entry.droppedCount += (int) entry.clientIds.stream()
                        .filter(clientId -> !holders.containsKey(clientId)).count();
            }
        }
    }

    Set<String> toNudge() {
        return toNudge;
    }

    /** Completes every message's future: failed with {@code failure} (the round's, else its own store's) or counted. */
    void complete(Throwable failure) {
        for (Entry entry : entries) {
            if (failure != null) {
                entry.result.completeExceptionally(failure);
            } else if (entry.storeFailed()) {
                entry.stored.whenComplete((ok, storeFailure) -> entry.result.completeExceptionally(storeFailure));
            } else {
                PushResult counts = new PushResult(entry.message.messageId(), entry.online, entry.storedCount,
                        entry.droppedCount);
                entry.result.complete(entry.unknown == null ? counts : counts.withUnknown(entry.unknown));
            }
        }
    }

    List<CompletableFuture<PushResult>> results() {
        return entries.stream().map(entry -> entry.result).toList();
    }

    /** What one gateway is asked to hand over, and which message each part belongs to. */
    record GatewayShare<G>(G gateway, List<DevicePush> pushes, List<Entry> owners) {
        GatewayShare(G gateway) {
            this(gateway, new ArrayList<>(), new ArrayList<>());
        }

        void add(Entry owner, DevicePush push) {
            pushes.add(push);
            owners.add(owner);
        }

        int deviceCount() {
            return pushes.stream().mapToInt(push -> push.clientIds().size()).sum();
        }
    }
}
