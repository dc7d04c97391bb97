package io.herald.cluster.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one gateway tells another about a device whose sessions moved between them, over Redis pub/sub on channels
 * of the receiving node:
 * <ul>
 *   <li>takeover: when a device connects to gateway B while Redis still names its session on gateway A, B publishes
 *       {@code clientId|connectionId} on A's takeover channel and A closes that connection (if it is still that
 *       one);</li>
 *   <li>store changed: when a session on A ends leaving messages in the store that the device's newer session on B
 *       may have read the store before (docs/reliability.md, "Sessions that overlap"), A publishes {@code clientId}
 *       on B's store channel and B's session reads the store again.</li>
 * </ul>
 *
 * <p>Pub/sub is fire-and-forget: a notice sent while the receiver is disconnected from Redis is lost. For a
 * takeover that is acceptable because the old connection is also closed by the device itself (it has a new one)
 * or by A's idle timeout, and the session map already names B, so pushes go to B either way. A lost store notice
 * leaves its messages stored until the device's next connect; when the receiver's Redis connection comes back it
 * publishes its sessions again and each of them reads its store (ClusterGatewayNode), which covers a notice sent
 * while it was away.
 */
public final class SessionNotices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionNotices.class);
    private static final char SEPARATOR = '|';
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** What a node does with the notices it hears; called on a Lettuce thread, must not block. */
    public interface Receiver {
        /** Close the given connection of the client on this node, if it is still open. */
        void takenOver(String clientId, String connectionId);

        /** The client's session on this node, if any, reads its store again. */
        void storeChanged(String clientId);
    }

    private final RedisConnections connections;
    private final StatefulRedisPubSubConnection<String, String> subscription;

    private SessionNotices(RedisConnections connections, StatefulRedisPubSubConnection<String, String> subscription) {
        this.connections = connections;
        this.subscription = subscription;
    }

    /** Starts listening on this node's channels. */
    public static SessionNotices listen(RedisConnections connections, String nodeId, Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        String takeovers = connections.keys().takeoverChannel(nodeId);
        String stores = connections.keys().storeChangedChannel(nodeId);
        StatefulRedisPubSubConnection<String, String> subscription = connections.connectPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (takeovers.equals(from)) {
                    dispatchTakeover(message, receiver);
                } else if (stores.equals(from)) {
                    dispatchStoreChanged(message, receiver);
                }
            }
        });
        try {
            subscription.async().subscribe(takeovers, stores).get(connections.settings().commandTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            subscription.close();
            throw new IllegalStateException("could not subscribe to " + takeovers + " and " + stores + ": "
                    + e.getMessage(), e);
        }
        return new SessionNotices(connections, subscription);
    }

    /** Tells the node holding {@code previous} to close it. */
    public CompletableFuture<Void> sendTakeover(SessionLocation previous, String clientId) {
        return connections.async()
                .publish(connections.keys().takeoverChannel(previous.nodeId()),
                        clientId + SEPARATOR + previous.connectionId())
                .toCompletableFuture()
                .thenApply(receivers -> null);
    }

    /** Tells node {@code nodeId} that its session of the client should read the store again. */
    public CompletableFuture<Void> sendStoreChanged(String nodeId, String clientId) {
        return connections.async()
                .publish(connections.keys().storeChangedChannel(nodeId), clientId)
                .toCompletableFuture()
                .thenApply(receivers -> null);
    }

    private static void dispatchTakeover(String message, Receiver receiver) {
        int separator = message.lastIndexOf(SEPARATOR);
        if (separator <= 0 || separator == message.length() - 1) {
            log.warn("ignoring a malformed takeover notice ({} characters)", message.length());
            return;
        }
        try {
            receiver.takenOver(message.substring(0, separator), message.substring(separator + 1));
        } catch (RuntimeException e) {
            log.warn("handling a takeover notice failed", e);
        }
    }

    private static void dispatchStoreChanged(String clientId, Receiver receiver) {
        if (clientId.isEmpty()) {
            log.warn("ignoring an empty store notice");
            return;
        }
        try {
            receiver.storeChanged(clientId);
        } catch (RuntimeException e) {
            log.warn("handling a store notice failed", e);
        }
    }

    /** Bounded: Lettuce's blocking close can wait forever on a connection that is between reconnect attempts. */
    @Override
    public void close() {
        try {
            subscription.closeAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("closing the session notice subscription did not finish within {}: {}", CLOSE_TIMEOUT,
                    e.toString());
        }
    }
}
