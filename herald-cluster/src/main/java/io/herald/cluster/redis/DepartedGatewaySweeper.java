package io.herald.cluster.redis;

import io.herald.cluster.discovery.GatewayDirectory;
import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from Redis the sessions of gateways that left ZooKeeper (crashed, or partitioned away past the session
 * timeout). Until then lookups already treat them as offline, because routing only trusts live members; this
 * frees the memory and makes {@code find} agree. Every API node runs one; the removal is idempotent, so several
 * doing it at once is harmless.
 */
public final class DepartedGatewaySweeper implements GatewayDirectory.Listener {
    private static final Logger log = LoggerFactory.getLogger(DepartedGatewaySweeper.class);

    private final RedisSessionRegistry sessions;

    public DepartedGatewaySweeper(RedisSessionRegistry sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public void membershipChanged(GatewayMembership previous, GatewayMembership current) {
        Set<String> live = current.nodes().stream().map(GatewayNode::id).collect(Collectors.toSet());
        for (GatewayNode node : previous.nodes()) {
            if (!live.contains(node.id())) {
                sweep(node.id());
            }
        }
    }

    /** Removes every session Redis still attributes to the node. Non-blocking. */
    public void sweep(String nodeId) {
        sessions.removeNode(nodeId).whenComplete((removed, error) -> {
            if (error != null) {
                log.warn("could not remove the sessions of departed gateway {} from redis: {}", nodeId,
                        error.toString());
            } else {
                log.info("gateway {} left: removed {} of its session(s) from redis", nodeId, removed);
            }
        });
    }
}
