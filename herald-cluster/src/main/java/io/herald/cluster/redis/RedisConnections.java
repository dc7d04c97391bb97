package io.herald.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one Lettuce client and its connections to Redis, shared by every Redis-backed component.
 *
 * <p>A Lettuce connection is thread-safe and multiplexes concurrent commands, so one {@link #async() shared
 * connection} serves the whole process. A second, {@link #batchConnection() batch connection}, is opened on first
 * use for pipelined bulk writes: it has automatic flushing turned off, which is a per-connection switch and would
 * otherwise stall everybody else's commands until the next flush.
 *
 * <p>Failure behaviour: when Redis goes away Lettuce reconnects by itself (first retry at once, then backing off to
 * at most {@link #MAX_RECONNECT_DELAY}); commands issued meanwhile are buffered and sent on reconnect, and every
 * command, buffered or in flight, fails with a timeout after {@link RedisSettings#commandTimeout()}. Opening fails
 * at once if Redis cannot be reached: a node should not start half-connected.
 */
public final class RedisConnections implements AutoCloseable {
    /**
     * Upper bound of the reconnect back-off. Lettuce's default of 30 seconds would leave a gateway failing every
     * AUTH for half a minute after a short Redis restart; one second costs a few connection attempts at most.
     */
    public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisSettings settings;
    private final RedisKeys keys;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final AtomicBoolean closing;
    private final List<Runnable> reconnectListeners;
    private final Object batchLock = new Object();
    private StatefulRedisConnection<String, String> batch;
    private boolean closed;

    private RedisConnections(RedisSettings settings, ClientResources resources, RedisClient client,
                             StatefulRedisConnection<String, String> shared, AtomicBoolean closing,
                             List<Runnable> reconnectListeners) {
        this.settings = settings;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.resources = resources;
        this.client = client;
        this.shared = shared;
        this.closing = closing;
        this.reconnectListeners = reconnectListeners;
    }

    /** Connects to Redis; throws Lettuce's {@code RedisConnectionException} if it cannot be reached. */
    public static RedisConnections open(RedisSettings settings) {
        return open(settings, new CompositeMeterRegistry());
    }

    /** Like {@link #open(RedisSettings)}, with command latencies and errors in {@code registry} (see {@link RedisMeters}). */
    public static RedisConnections open(RedisSettings settings, MeterRegistry registry) {
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ZERO, MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(RedisMeters.latencyRecorder(registry))
                .build();
        RedisClient client = RedisClient.create(resources, settings.redisUri());
        client.addListener(new RedisMeters(registry));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Without this only blocking calls time out; an async future would wait forever on a dead Redis.
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .sslOptions(sslOptions(settings))
                .build());
        AtomicBoolean closing = new AtomicBoolean();
        List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
        client.addListener(new ConnectionStateLogger(settings, closing, reconnectListeners));
        try {
            StatefulRedisConnection<String, String> shared = client.connect();
            log.info("connected to redis at {} (key prefix {})", settings.redactedUri(), settings.keyPrefix());
            return new RedisConnections(settings, resources, client, shared, closing, reconnectListeners);
        } catch (RuntimeException e) {
            shutDown(client, resources);
            throw e;
        }
    }

    /** The JDK's TLS engine, trusting the settings' file if there is one (Lettuce's default otherwise). */
    private static SslOptions sslOptions(RedisSettings settings) {
        SslOptions.Builder options = SslOptions.builder().jdkSslProvider();
        if (settings.tlsTrust() != null) {
            options.trustManager(settings.tlsTrust().toFile());
        }
        return options.build();
    }

    public RedisSettings settings() {
        return settings;
    }

    /** The key layout under the configured prefix. */
    public RedisKeys keys() {
        return keys;
    }

    /** Non-blocking commands on the shared connection; safe to call from an event loop. */
    public RedisAsyncCommands<String, String> async() {
        return shared.async();
    }

    /** Blocking commands on the shared connection, each bounded by the command timeout. Not for event loops. */
    public RedisCommands<String, String> sync() {
        return shared.sync();
    }

    /**
     * The connection for pipelined bulk writes, with automatic flushing off: queue commands on it, then call
     * {@link StatefulRedisConnection#flushCommands()}. Concurrent batches may share it, as long as each flushes
     * after queueing its own commands (a flush sends everything queued so far, whoever queued it).
     */
    StatefulRedisConnection<String, String> batchConnection() {
        synchronized (batchLock) {
            if (closed) {
                throw new IllegalStateException("redis connections are closed");
            }
            if (batch == null) {
                batch = client.connect();
                batch.setAutoFlushCommands(false);
            }
            return batch;
        }
    }

    /**
     * A new publish/subscribe connection (a subscribed connection can run no other command, so it is never the
     * shared one). The caller closes it; Lettuce re-subscribes by itself after a reconnect.
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub();
    }

    /**
     * Runs {@code listener} (on a thread of its own, so it may block briefly) each time a connection to Redis is
     * re-established after it was lost. A Redis that restarted without persistence has forgotten everything, so a
     * gateway uses this to publish its sessions again. May run once per connection that reconnected.
     */
    public void onReconnect(Runnable listener) {
        reconnectListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Closes the connections and releases the client's threads; commands still pending fail. */
    @Override
    public void close() {
        synchronized (batchLock) {
            if (closed) {
                return;
            }
            closed = true;
            closing.set(true);
            if (batch != null) {
                batch.close();
            }
        }
        shared.close();
        shutDown(client, resources);
        log.info("disconnected from redis at {}", settings.redactedUri());
    }

    private static void shutDown(RedisClient client, ClientResources resources) {
        client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
        resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    /** Makes a Redis outage visible in the log once per connection, not once per failed command. */
    private static final class ConnectionStateLogger implements RedisConnectionStateListener {
        private final RedisSettings settings;
        private final AtomicBoolean closing;
        private final List<Runnable> reconnectListeners;
        private final Set<RedisChannelHandler<?, ?>> lost = ConcurrentHashMap.newKeySet();

        ConnectionStateLogger(RedisSettings settings, AtomicBoolean closing, List<Runnable> reconnectListeners) {
            this.settings = settings;
            this.closing = closing;
            this.reconnectListeners = reconnectListeners;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (lost.remove(connection)) {
                log.info("reconnected to redis at {}", settings.redactedUri());
                if (!reconnectListeners.isEmpty()) {
                    // Not on this Lettuce I/O thread: a listener that opens a connection or waits for a reply
                    // here would wait for this very thread.
                    Thread notifier = new Thread(this::notifyReconnected, "herald-redis-reconnected");
                    notifier.setDaemon(true);
                    notifier.start();
                }
            }
        }

        private void notifyReconnected() {
            for (Runnable listener : reconnectListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("a redis reconnect listener failed", e);
                }
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            // Subscriptions are closed on their own at shutdown, before this client; the command connections
            // say everything worth saying about an outage (and trigger the reconnect listeners once each).
            if (!closing.get() && !(connection instanceof StatefulRedisPubSubConnection)) {
                lost.add(connection);
                log.warn("lost connection to redis at {}; reconnecting, commands wait up to {}",
                        settings.redactedUri(), settings.commandTimeout());
            }
        }
    }
}
