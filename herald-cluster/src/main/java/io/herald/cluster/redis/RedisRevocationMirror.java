package io.herald.cluster.redis;

import io.herald.core.security.Revocation;
import io.herald.core.security.RevocationList;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's copy of the cluster's revocation list, so AUTH checks a token without asking Redis first. Kept
 * current by the channel every revocation is published on; each time the subscription is confirmed (at start, and
 * after every reconnect, when Lettuce subscribes again) the whole list is read again with SCAN, so an entry
 * published while the connection was down is not missed. Entries only ever raise a mark or add an id
 * ({@link RevocationList#apply}), so a message and a reload may arrive in any order.
 *
 * <p>The copy can lag Redis by a message's travel, or by a reconnect: it is the first, cheap check. The check that
 * decides is the one before AUTH_OK, against Redis itself ({@link RedisRevocations#revokesAsync}).
 */
public final class RedisRevocationMirror implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisRevocationMirror.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final int SCAN_COUNT = 1000;

    private final RevocationList list = new RevocationList();
    private final RedisConnections connections;
    private final Clock clock;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "herald-revocation-mirror");
        thread.setDaemon(true);
        return thread;
    });

    private RedisRevocationMirror(RedisConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
        this.subscription = connections.connectPubSub();
    }

    /** Subscribes and loads the list; fails when Redis cannot be reached now. */
    public static RedisRevocationMirror start(RedisConnections connections, Clock clock) {
        RedisRevocationMirror mirror = new RedisRevocationMirror(connections, clock);
        try {
            mirror.subscribe();
        } catch (RuntimeException e) {
            mirror.close();
            throw e;
        }
        return mirror;
    }

    public RevocationList list() {
        return list;
    }

    private void subscribe() {
        String channel = connections.keys().revocationChannel();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                if (!channel.equals(from)) {
                    return;
                }
                Revocation entry = RedisRevocations.parseMessage(message);
                if (entry == null) {
                    log.warn("ignoring a malformed revocation message ({} characters)", message.length());
                } else {
                    list.apply(entry);
                }
            }

            @Override
            public void subscribed(String subscribed, long count) {
                if (channel.equals(subscribed)) {
                    // On a Lettuce I/O thread: the reload waits for replies, so it runs elsewhere.
                    worker.execute(RedisRevocationMirror.this::reloadQuietly);
                }
            }
        });
        try {
            subscription.async().subscribe(channel)
                    .get(connections.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not subscribe to " + channel + ": " + e.getMessage(), e);
        }
        reload();
        worker.scheduleWithFixedDelay(() -> list.purgeExpired(clock.millis()), PURGE_INTERVAL.toMillis(),
                PURGE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads every entry in Redis into the copy; returns how many. */
    int reload() {
        RedisCommands<String, String> redis = connections.sync();
        RedisKeys keys = connections.keys();
        ScanArgs args = ScanArgs.Builder.matches(keys.revokedPattern()).limit(SCAN_COUNT);
        int loaded = 0;
        KeyScanCursor<String> cursor = redis.scan(args);
        while (true) {
            List<String> found = cursor.getKeys();
            if (!found.isEmpty()) {
                for (KeyValue<String, String> value : redis.mget(found.toArray(String[]::new))) {
                    Revocation entry = value.hasValue() ? RedisRevocations.entry(keys, value.getKey(), value.getValue())
                            : null;
                    if (entry != null) {
                        list.apply(entry);
                        loaded++;
                    }
                }
            }
            if (cursor.isFinished()) {
                return loaded;
            }
            cursor = redis.scan(ScanCursor.of(cursor.getCursor()), args);
        }
    }

    /**
     * After a reconnect: reads the list again, and writes back what this copy has and Redis lost (a Redis restarted
     * without persistence forgot every revocation; the gateways that stayed up remember them).
     */
    private void reloadQuietly() {
        try {
            int loaded = reload();
            int restored = 0;
            RedisRevocations writer = new RedisRevocations(connections, clock);
            for (Revocation entry : list.entries()) {
                if (entry.expiresAtMillis() > clock.millis() && writer.restore(entry)) {
                    restored++;
                }
            }
            if (restored > 0) {
                log.info("redis had lost {} token revocation(s): written back from this gateway's copy", restored);
            }
            log.debug("revocation list reloaded from redis: {} entries", loaded);
        } catch (RuntimeException e) {
            // The next (re)subscription reloads again; until then the check before AUTH_OK asks Redis itself.
            log.warn("could not reload the revocation list from redis: {}", e.toString());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            subscription.closeAsync().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("closing the revocation subscription did not finish: {}", e.toString());
        }
    }
}
