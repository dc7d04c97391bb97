package io.herald.cluster.push;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The client ids a push's message may have been stored for, each with who stored it: a gateway (which has already
 * told the client's session there to re-read the store) or this API node (null: nobody has told anyone).
 */
final class StoredTargets {
    private final Map<String, String> storedBy = new HashMap<>();

    /** This API node stored the message for these offline ids. */
    synchronized void byThisNode(Collection<String> clientIds) {
        clientIds.forEach(clientId -> storedBy.put(clientId, null));
    }

    /** The gateway reported storing the message for some of its batch: any of these ids may be among them. */
    synchronized void byGateway(String gatewayId, Collection<String> clientIds) {
        clientIds.forEach(clientId -> storedBy.put(clientId, gatewayId));
    }

    synchronized Set<String> clientIds() {
        return Set.copyOf(storedBy.keySet());
    }

    synchronized boolean isEmpty() {
        return storedBy.isEmpty();
    }

    /** Whether the gateway now holding the client has yet to hear that something was stored for it. */
    synchronized boolean mustTell(String clientId, String holdingGatewayId) {
        return !Objects.equals(storedBy.get(clientId), holdingGatewayId);
    }
}
