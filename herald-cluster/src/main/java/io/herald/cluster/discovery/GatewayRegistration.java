package io.herald.cluster.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's presence in ZooKeeper: the ephemeral znode {@code <basePath>/<id>} holding its {@link GatewayNode}
 * as JSON, kept there by Curator's {@link PersistentNode} recipe, which re-creates it after a reconnect or a
 * session expiry. The connection count is re-read every refresh interval and written when it changed.
 *
 * <p>{@link #close()} deletes the node before anything else, so API nodes stop sending devices here at once
 * instead of a session timeout later. If the process dies without closing, ZooKeeper deletes the node when the
 * session times out.
 */
public final class GatewayRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayRegistration.class);

    private final CuratorFramework client;
    private final PersistentNode znode;
    private final String path;
    private final IntSupplier connectionCount;
    private final ScheduledExecutorService refresher;
    private final ConnectionStateListener connectionLogger = this::connectionStateChanged;
    private final AtomicInteger creations = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set after a reconnect: a count written while disconnected may not have reached ZooKeeper. */
    private final AtomicBoolean republish = new AtomicBoolean();
    private volatile GatewayNode published;

    private GatewayRegistration(CuratorFramework client, DiscoverySettings settings, GatewayNode node,
                                IntSupplier connectionCount) {
        this.client = client;
        this.path = settings.gatewayPath(node.id());
        this.connectionCount = connectionCount;
        this.published = node;
        this.znode = new PersistentNode(client, CreateMode.EPHEMERAL, false, path, GatewayNodeCodec.encode(node));
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-registration-" + node.id());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Registers the gateway and starts refreshing its connection count. Returns at once; the node is created in
     * the background as soon as ZooKeeper is reachable ({@link #awaitRegistered(Duration)} waits for it).
     *
     * @param client          a started client; it stays the caller's, to close after this registration (a
     *                        registration whose client is closed under it keeps retrying to re-create its node)
     * @param connectionCount the gateway's current device connection count; called on the refresh thread
     */
    public static GatewayRegistration start(CuratorFramework client, DiscoverySettings settings, GatewayNode node,
                                            IntSupplier connectionCount) {
        GatewayRegistration registration = new GatewayRegistration(client, settings, node, connectionCount);
        registration.start(settings.refreshInterval());
        return registration;
    }

    private void start(Duration refreshInterval) {
        client.getConnectionStateListenable().addListener(connectionLogger);
        znode.getListenable().addListener(createdPath -> {
            if (creations.incrementAndGet() == 1) {
                log.info("Gateway {} registered at {}", published.id(), createdPath);
            } else {
                log.info("Gateway {} registered again at {} (after a session expiry or a deletion)",
                        published.id(), createdPath);
            }
        });
        znode.start();
        long millis = refreshInterval.toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** @return whether the node was created within the timeout */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return znode.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The znode path, {@code <basePath>/<id>}. */
    public String path() {
        return path;
    }

    /** What this registration last wrote (or will write on the next re-creation). */
    public GatewayNode published() {
        return published;
    }

    private void refresh() {
        if (closed.get()) {
            return;
        }
        try {
            int count = connectionCount.getAsInt();
            // Writing only on change spares every API node a watch event per gateway per interval.
            if (count == published.connections() && !republish.get()) {
                return;
            }
            if (znode.getActualPath() == null) {
                return; // not created yet (ZooKeeper unreachable so far); the next tick tries again
            }
            republish.set(false);
            GatewayNode next = published.withConnections(count);
            znode.setData(GatewayNodeCodec.encode(next));
            published = next;
        } catch (Exception e) {
            // Must not escape: an exception would cancel the periodic task for good.
            log.warn("Gateway {}: could not publish the connection count: {}", published.id(), e.toString());
        }
    }

    private void connectionStateChanged(CuratorFramework ignored, ConnectionState state) {
        String id = published.id();
        switch (state) {
            case CONNECTED -> log.info("Gateway {}: connected to ZooKeeper", id);
            case SUSPENDED -> log.warn("Gateway {}: ZooKeeper connection suspended; {} stays registered unless the"
                    + " session expires", id, path);
            case LOST -> log.warn("Gateway {}: ZooKeeper session lost; {} is gone until the connection is back", id,
                    path);
            case RECONNECTED -> {
                republish.set(true);
                log.info("Gateway {}: reconnected to ZooKeeper; making sure {} is registered", id, path);
            }
            case READ_ONLY -> log.warn("Gateway {}: ZooKeeper connection is read-only", id);
        }
    }

    /**
     * Deregisters: deletes the node first, then stops refreshing. The client stays open. While ZooKeeper is
     * unreachable the deletion is retried within the client's retry policy (a few seconds) before giving up; the
     * node then goes when the session ends.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            znode.close();
            log.info("Gateway {} deregistered from {}", published.id(), path);
        } catch (IOException e) {
            log.warn("Gateway {}: could not delete {} now; it goes when the ZooKeeper session ends: {}",
                    published.id(), path, e.toString());
        }
        refresher.shutdownNow();
        client.getConnectionStateListenable().removeListener(connectionLogger);
    }
}
