package io.herald.cluster.redis;

import io.herald.core.session.SessionEvents;
import io.herald.core.session.SessionInfo;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster gateway's sessions, published in Redis: each authenticated connection is registered as this node's
 * (Lettuce pipelines the commands of a connect storm on its one shared connection), a takeover of a session held
 * by another node tells that node to close it, a closed connection is removed only if it is still the
 * registered one (compare-and-delete), so a late close never hides a newer session, and a session that ended
 * leaving messages in the store tells the node that holds the device now to read its store again.
 */
public final class RedisSessionEvents implements SessionEvents {
    private static final Logger log = LoggerFactory.getLogger(RedisSessionEvents.class);

    private final RedisSessionRegistry registry;
    private final SessionNotices notices;
    private final String nodeId;

    public RedisSessionEvents(RedisSessionRegistry registry, SessionNotices notices, String nodeId) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    @Override
    public CompletionStage<Void> connected(String clientId, String sessionId) {
        return registry.register(clientId, nodeId, sessionId)
                .thenAccept(previous -> previous
                        // A previous session on this node was already closed by the gateway's own registry.
                        .filter(location -> !location.nodeId().equals(nodeId))
                        .ifPresent(location -> notices.sendTakeover(location, clientId).whenComplete((ok, error) -> {
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

    /**
     * Publishes every given session of this node again, pipelined: after Redis restarted without persistence it
     * knows none of them, and pushes from other nodes would be stored instead of delivered until each device
     * reconnected. Completes with how many were written; failures are logged.
     */
    public CompletableFuture<Integer> republish(Collection<SessionInfo> sessions) {
        List<RedisSessionRegistry.Registration> registrations = sessions.stream()
                .map(session -> new RedisSessionRegistry.Registration(session.clientId(), nodeId, session.sessionId()))
                .toList();
        if (registrations.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return registry.registerAll(registrations).handle((previous, error) -> {
            if (error != null) {
                log.warn("could not publish {} session(s) of gateway {} again: {}", registrations.size(), nodeId,
                        error.toString());
                return 0;
            }
            log.info("published {} session(s) of gateway {} in redis again", registrations.size(), nodeId);
            return registrations.size();
        });
    }

    /** A session registered by another node; this node's own sessions are its gateway's registry's business. */
    @Override
    public CompletionStage<Boolean> connectedElsewhere(String clientId) {
        return sessionElsewhere(clientId)
                .thenApply(Optional::isPresent)
                .exceptionally(error -> {
                    log.warn("could not look up the session of {} in redis: {}", clientId, error.toString());
                    return false;
                });
    }

    /** Looks up where the device is now and, when that is another node, tells it to read the device's store. */
    @Override
    public void storedAfterSession(String clientId) {
        sessionElsewhere(clientId)
                .thenCompose(location -> location
                        .map(at -> notices.sendStoreChanged(at.nodeId(), clientId))
                        .orElseGet(() -> CompletableFuture.completedFuture(null)))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.warn("could not tell the gateway of {} to read its store again; its messages wait for"
                                + " its next connect: {}", clientId, error.toString());
                    }
                });
    }

    /** The device's session in Redis when another node holds it; this node's own are its registry's business. */
    private CompletableFuture<Optional<SessionLocation>> sessionElsewhere(String clientId) {
        return registry.find(clientId).thenApply(location -> location.filter(at -> !at.nodeId().equals(nodeId)));
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
