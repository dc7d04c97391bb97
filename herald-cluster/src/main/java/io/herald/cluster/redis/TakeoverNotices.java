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
 * Cross-node takeover: when a device connects to gateway B while Redis still names its session on gateway A, B
 * publishes {@code clientId|connectionId} on A's channel and A closes that connection (if it is still that one).
 *
 * <p>Pub/sub is fire-and-forget: a notice sent while A is disconnected from Redis is lost. That is acceptable
 * because the old connection is also closed by the device itself (it has a new one) or by A's idle timeout, and
 * the session map already names B, so pushes go to B either way.
 */
public final class TakeoverNotices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TakeoverNotices.class);
    private static final char SEPARATOR = '|';
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** Closes the given connection of the client on this node, if it is still open. */
    @FunctionalInterface
    public interface Receiver {
        void takenOver(String clientId, String connectionId);
    }

    private final RedisConnections connections;
    private final StatefulRedisPubSubConnection<String, String> subscription;

    private TakeoverNotices(RedisConnections connections, StatefulRedisPubSubConnection<String, String> subscription) {
        this.connections = connections;
        this.subscription = subscription;
    }

    /** Starts listening on this node's channel; {@code receiver} runs on a Lettuce thread and must not block. */
    public static TakeoverNotices listen(RedisConnections connections, String nodeId, Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        String channel = connections.keys().takeoverChannel(nodeId);
        StatefulRedisPubSubConnection<String, String> subscription = connections.connectPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (channel.equals(from)) {
                    dispatch(message, receiver);
                }
            }
        });
        try {
            subscription.async().subscribe(channel).get(connections.settings().commandTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            subscription.close();
            throw new IllegalStateException("could not subscribe to " + channel + ": " + e.getMessage(), e);
        }
        return new TakeoverNotices(connections, subscription);
    }

    /** A sender only, for nodes that do not hold sessions themselves. */
    public static CompletableFuture<Void> send(RedisConnections connections, SessionLocation previous,
                                               String clientId) {
        return connections.async()
                .publish(connections.keys().takeoverChannel(previous.nodeId()),
                        clientId + SEPARATOR + previous.connectionId())
                .toCompletableFuture()
                .thenApply(receivers -> null);
    }

    /** Tells the node holding {@code previous} to close it. */
    public CompletableFuture<Void> send(SessionLocation previous, String clientId) {
        return send(connections, previous, clientId);
    }

    private static void dispatch(String message, Receiver receiver) {
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

    /** Bounded: Lettuce's blocking close can wait forever on a connection that is between reconnect attempts. */
    @Override
    public void close() {
        try {
            subscription.closeAsync().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("closing the takeover subscription did not finish within {}: {}", CLOSE_TIMEOUT, e.toString());
        }
    }
}
