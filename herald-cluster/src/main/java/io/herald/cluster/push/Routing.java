package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.redis.SessionLocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the targets of one push are: a batch of client ids per live gateway holding some of them, and the ids that
 * are offline. A session Redis still places on a gateway that has left ZooKeeper counts as offline: nobody would
 * deliver to it.
 */
record Routing(Map<GatewayNode, List<String>> batches, List<String> offline) {

    static Routing of(Collection<String> clientIds, Map<String, SessionLocation> locations,
                      GatewayMembership membership) {
        Map<GatewayNode, List<String>> batches = new LinkedHashMap<>();
        List<String> offline = new ArrayList<>();
        for (String clientId : clientIds) {
            Optional<GatewayNode> holder = holder(locations.get(clientId), membership);
            if (holder.isPresent()) {
                batches.computeIfAbsent(holder.get(), node -> new ArrayList<>()).add(clientId);
            } else {
                offline.add(clientId);
            }
        }
        return new Routing(batches, offline);
    }

    /** The live gateway holding the session at that location; empty when there is none. */
    static Optional<GatewayNode> holder(SessionLocation location, GatewayMembership membership) {
        return location == null ? Optional.empty() : membership.find(location.nodeId());
    }
}
