package io.herald.cluster.redis;

import io.herald.core.session.SessionEvents;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster gateway's sessions, published in Redis: each authenticated connection is registered as this node's
 * (Lettuce pipelines the commands of a connect storm on its one shared connection), a takeover of a session held
 * by another node tells that node to close it, and a closed connection is removed only if it is still the
 * registered one (compare-and-delete), so a late close never hides a newer session.
 */
public final class RedisSessionEvents implements SessionEvents {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionEvents.class);

    private final RedisSessionRegistry registry;
    private final TakeoverNotices takeovers;
    private final String nodeId;

    public RedisSessionEvents(RedisSessionRegistry registry, TakeoverNotices takeovers, String nodeId) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.takeovers = Objects.requireNonNull(takeovers, "takeovers");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    @Override
    public CompletionStage<Void> connected(String clientId, String sessionId) {
        return registry.register(clientId, nodeId, sessionId)
                .thenAccept(previous -> previous
                        // A previous session on this node was already closed by the gateway's own registry.
                        .filter(location -> !location.nodeId().equals(nodeId))
                        .ifPresent(location -> takeovers.send(location, clientId).whenComplete((ok, error) -> {
                            if (error != null) {
                                log.warn("could not tell gateway {} that {} moved here: {}", location.nodeId(),
                                        clientId, error.toString());
                            }
                        })))
                .exceptionally(error -> {
                    log.warn("could not publish the session of {} in redis; pushes from other nodes will store"
                            + " its messages until it reconnects: {}", clientId, error.toString());
                    return null;
                });
    }

    @Override
    public void disconnected(String clientId, String sessionId) {
        registry.unregister(clientId, nodeId, sessionId).whenComplete((removed, error) -> {
            if (error != null) {
                log.warn("could not remove the session of {} from redis; it is removed when the device connects"
                        + " again or this gateway leaves: {}", clientId, error.toString());
            }
        });
    }
}
