package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayNode;
import io.herald.core.push.PushResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What became of one push so far, filled in from the gateways' answers as they arrive (on several event loops,
 * hence synchronized) and then by the offline handling: the counts, the ids still to handle as offline, and the ids
 * the message may have been stored for.
 */
final class PushOutcome {
    private final long messageId;
    private final Routing routing;
    /** The ids a QoS 1 message was stored for before any gateway got it; null for QoS 0. */
    private final Set<String> storedFor;
    /** The targets that are not registered, in request order; null for QoS 0 (not looked up). */
    private final List<String> unknown;
    private final List<String> offline;
    private final StoredTargets stored = new StoredTargets();
    private int onlineCount;
    private int storedCount;
    private int droppedCount;

    PushOutcome(long messageId, Routing routing, Set<String> storedFor) {
        this.messageId = messageId;
        this.routing = routing;
        this.storedFor = storedFor == null ? null : Set.copyOf(storedFor);
        this.unknown = storedFor == null ? null : routing.offline().stream()
                .filter(clientId -> !this.storedFor.contains(clientId)).toList();
        this.offline = new ArrayList<>(routing.offline());
    }

    Routing routing() {
        return routing;
    }

    /** Whether the message was stored before any gateway got it (QoS 1). */
    boolean isStored() {
        return storedFor != null;
    }

    /** Those of the ids the message was stored for (the registered ones). */
    Set<String> storedFor(Collection<String> clientIds) {
        Set<String> stored = new HashSet<>();
        for (String clientId : clientIds) {
            if (storedFor != null && storedFor.contains(clientId)) {
                stored.add(clientId);
            }
        }
        return stored;
    }

    /** A gateway's answer for its batch; what it stored, it stored for ids of that batch. */
    synchronized void answered(GatewayNode node, List<String> batch, PushResult result) {
        onlineCount += result.online();
        storedCount += result.stored();
        droppedCount += result.dropped();
        if (result.stored() > 0) {
            stored.byGateway(node.id(), batch);
        }
    }

    /** The gateway holding these ids could not be asked: they are handled as offline here. */
    synchronized void unreachable(List<String> batch) {
        offline.addAll(batch);
    }

    synchronized List<String> offline() {
        return List.copyOf(offline);
    }

    synchronized void dropped(int count) {
        droppedCount += count;
    }

    synchronized void storedByThisNode(Collection<String> clientIds) {
        storedCount += clientIds.size();
        stored.byThisNode(clientIds);
    }

    StoredTargets stored() {
        return stored;
    }

    synchronized PushResult result() {
        PushResult counts = new PushResult(messageId, onlineCount, storedCount, droppedCount);
        return unknown == null ? counts : counts.withUnknown(unknown);
    }
}
