package io.herald.cluster.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's map of client id → the gateway node and connection holding it, so the push API can route a message
 * to the right gateway and a takeover on one node can close the old connection on another. Keys
 * (see {@link RedisKeys}):
 *
 * <pre>
 * {prefix}session:{clientId}      → nodeId|connectionId|connectedAtMillis   ({@link SessionLocation})
 * {prefix}node-clients:{nodeId}   → {clientId, ...}                         every client whose session names the node
 * </pre>
 *
 * <p>Sessions have no TTL: a device stays connected for days, and a gateway that dies without unregistering is
 * cleaned up by {@link #removeNode(String)} when discovery reports it gone. Every method is non-blocking and its future
 * completes on a Lettuce thread, so keep continuations short or move them to an executor. A Redis failure fails the
 * future (after at most the command timeout).
 */
public final class RedisSessionRegistry {
    /** Client ids per MGET: large enough to amortise round trips, small enough not to stall Redis on one command. */
    static final int LOOKUP_SLICE = 1_000;
    static final int LOOKUP_IN_FLIGHT = 4;
    /** Registrations queued per flush of the batch connection; see {@link #registerAll(List)}. */
    static final int REGISTER_SLICE = 500;
    static final int REGISTER_IN_FLIGHT = 2;
    /** Clients removed per script call in {@link #removeNode(String)}. */
    static final int REMOVE_NODE_BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(RedisSessionRegistry.class);

    /** One client's connection, for {@link #registerAll(List)}. */
    public record Registration(String clientId, String nodeId, String connectionId) {
        public Registration {
            requireClientId(clientId);
            SessionLocation.requireId(nodeId, "node id");
            SessionLocation.requireId(connectionId, "connection id");
        }
    }

    private final RedisConnections connections;
    private final RedisKeys keys;
    private final Clock clock;

    public RedisSessionRegistry(RedisConnections connections, Clock clock) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.keys = connections.keys();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RedisSessionRegistry(RedisConnections connections) {
        this(connections, Clock.systemUTC());
    }

    /**
     * Records that the client is now connected to that node's connection, connected now. Completes with where it was
     * connected before, if anywhere: when that is another connection, the caller has taken the session over and
     * should have the old connection closed (it may be on another node).
     */
    public CompletableFuture<Optional<SessionLocation>> register(String clientId, String nodeId, String connectionId) {
        Registration registration = new Registration(clientId, nodeId, connectionId);
        return register(connections.async(), registration, clock.instant());
    }

    /**
     * Registers many clients at once, e.g. when a gateway restarts and its devices reconnect together. Completes with
     * the previous location of each client that had one. List each client once: with duplicates, which registration
     * wins is unspecified.
     *
     * <p>Each registration is still its own atomic script, but they are pipelined on the batch connection: a slice of
     * {@value #REGISTER_SLICE} is queued without flushing and sent in one write, with {@value #REGISTER_IN_FLIGHT}
     * slices in flight (see {@link SlicedRun}). One multi-key script for the whole list was the alternative: atomic as
     * a whole, which nothing needs, and it would block Redis for every other caller (token checks, lookups) for as
     * long as it runs.
     *
     * <p>If Redis fails half-way, the future fails and the slices already answered stay registered; registering
     * again is safe (a retried client reports its own connection as its previous location).
     */
    public CompletableFuture<Map<String, SessionLocation>> registerAll(List<Registration> registrations) {
        List<Registration> all = List.copyOf(registrations);
        Instant connectedAt = clock.instant();
        Map<String, SessionLocation> previous = new ConcurrentHashMap<>();
        return SlicedRun.run(all, REGISTER_SLICE, REGISTER_IN_FLIGHT,
                        slice -> registerPipelined(slice, connectedAt, previous))
                .thenApply(done -> previous);
    }

    private CompletableFuture<Void> registerPipelined(List<Registration> slice, Instant connectedAt,
                                                      Map<String, SessionLocation> previous) {
        StatefulRedisConnection<String, String> batch = connections.batchConnection();
        List<CompletableFuture<Void>> results = new ArrayList<>(slice.size());
        try {
            for (Registration registration : slice) {
                results.add(register(batch.async(), registration, connectedAt).thenAccept(
                        before -> before.ifPresent(location -> previous.put(registration.clientId(), location))));
            }
        } finally {
            // Also on a failure half-way: commands already queued must not sit unsent until some later flush.
            batch.flushCommands();
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new));
    }

    /**
     * Removes the client's session if it is still that node's connection; completes with false, changing nothing,
     * when the client has since connected again (here or elsewhere) or was never registered.
     */
    public CompletableFuture<Boolean> unregister(String clientId, String nodeId, String connectionId) {
        requireClientId(clientId);
        SessionLocation.requireId(nodeId, "node id");
        SessionLocation.requireId(connectionId, "connection id");
        return SessionScripts.UNREGISTER.<Long>run(connections.async(), ScriptOutputType.INTEGER,
                        new String[] {keys.session(clientId), keys.nodeClients(nodeId)},
                        SessionLocation.owner(nodeId, connectionId), clientId)
                .thenApply(deleted -> deleted == 1L);
    }

    /** Where one client is connected, if it is. */
    public CompletableFuture<Optional<SessionLocation>> find(String clientId) {
        requireClientId(clientId);
        return RedisFutures.unavailableOnFailure(connections.async().get(keys.session(clientId)))
                .thenApply(value -> Optional.ofNullable(decodeOrSkip(clientId, value)));
    }

    /**
     * Where each of the clients is connected; clients that are not connected are absent from the map. Sent as MGETs
     * of {@value #LOOKUP_SLICE} ids, {@value #LOOKUP_IN_FLIGHT} at a time (see {@link SlicedRun}).
     */
    public CompletableFuture<Map<String, SessionLocation>> lookup(Collection<String> clientIds) {
        List<String> ids = List.copyOf(clientIds);
        ids.forEach(RedisSessionRegistry::requireClientId);
        Map<String, SessionLocation> found = new ConcurrentHashMap<>();
        return SlicedRun.run(ids, LOOKUP_SLICE, LOOKUP_IN_FLIGHT, slice -> lookupSlice(slice, found))
                .thenApply(done -> found);
    }

    private CompletableFuture<Void> lookupSlice(List<String> clientIds, Map<String, SessionLocation> found) {
        String[] sessionKeys = clientIds.stream().map(keys::session).toArray(String[]::new);
        return RedisFutures.unavailableOnFailure(connections.async().mget(sessionKeys)).thenAccept(values -> {
            // MGET answers in request order, one entry per key.
            for (int i = 0; i < values.size(); i++) {
                KeyValue<String, String> entry = values.get(i);
                SessionLocation location = entry.hasValue() ? decodeOrSkip(clientIds.get(i), entry.getValue()) : null;
                if (location != null) {
                    found.put(clientIds.get(i), location);
                }
            }
        });
    }

    /**
     * Deletes every session still held by a node that left the cluster, in steps of {@value #REMOVE_NODE_BATCH}
     * clients; completes with how many were deleted. Clients that have meanwhile connected to another node keep
     * their new session. Call it only for a node that is gone: while it runs, a node that came back under the same id
     * would lose the sessions it registers.
     */
    public CompletableFuture<Long> removeNode(String nodeId) {
        SessionLocation.requireId(nodeId, "node id");
        return removeNodeStep(nodeId, 0L).whenComplete((deleted, failure) -> {
            if (failure == null) {
                log.info("removed {} session(s) of departed node {}", deleted, nodeId);
            }
        });
    }

    private CompletableFuture<Long> removeNodeStep(String nodeId, long deletedSoFar) {
        return SessionScripts.REMOVE_NODE_BATCH.<List<Long>>run(connections.async(), ScriptOutputType.MULTI,
                        new String[] {keys.nodeClients(nodeId)}, Integer.toString(REMOVE_NODE_BATCH),
                        keys.sessionPrefix(), nodeId + SessionLocation.SEPARATOR)
                .thenCompose(poppedAndDeleted -> {
                    long deleted = deletedSoFar + poppedAndDeleted.get(1);
                    return poppedAndDeleted.get(0) == 0L
                            ? CompletableFuture.completedFuture(deleted)
                            : removeNodeStep(nodeId, deleted);
                });
    }

    private CompletableFuture<Optional<SessionLocation>> register(RedisAsyncCommands<String, String> via,
                                                                  Registration registration, Instant connectedAt) {
        SessionLocation location =
                new SessionLocation(registration.nodeId(), registration.connectionId(), connectedAt);
        return SessionScripts.REGISTER.<String>run(via, connections.async(), ScriptOutputType.VALUE,
                        new String[] {keys.session(registration.clientId()), keys.nodeClients(registration.nodeId())},
                        location.encode(), registration.nodeId(), keys.nodeClientsPrefix(), registration.clientId())
                .thenApply(previous -> Optional.ofNullable(decodeOrSkip(registration.clientId(), previous)));
    }

    /** A value that is not a location (written by something else) is treated as absent, not as an error. */
    private static SessionLocation decodeOrSkip(String clientId, String value) {
        if (value == null) {
            return null;
        }
        try {
            return SessionLocation.decode(value);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring malformed session entry of client {}: {}", clientId, e.getMessage());
            return null;
        }
    }

    private static void requireClientId(String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("client id must not be empty");
        }
    }
}
