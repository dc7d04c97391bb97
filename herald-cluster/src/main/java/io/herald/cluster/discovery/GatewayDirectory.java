package io.herald.cluster.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view of the registered gateways, kept by a {@link CuratorCache} on the base path and published as an
 * immutable {@link GatewayMembership} that is swapped whole on every change, so readers never lock and never
 * see a half-applied update.
 *
 * <p>While ZooKeeper is unreachable the last view is kept (routing to gateways that were live a moment ago beats
 * refusing every login); on reconnect the cache re-reads every node, dropping those deleted meanwhile. A node is
 * removed from the view as soon as the cache reports its deletion.
 */
public final class GatewayDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayDirectory.class);

    /** Told of every new view: a gateway joined, left, or changed its data (e.g. its connection count). */
    @FunctionalInterface
    public interface Listener {
        /** Called on the ZooKeeper event thread: keep it short and do not block. */
        void membershipChanged(GatewayMembership previous, GatewayMembership current);
    }

    private final CuratorFramework client;
    private final String basePath;
    private final CuratorCache cache;
    private final MembershipAssembler assembler;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final ConnectionStateListener connectionLogger = this::connectionStateChanged;
    private volatile GatewayMembership membership = GatewayMembership.EMPTY;

    private GatewayDirectory(CuratorFramework client, DiscoverySettings settings) {
        this.client = client;
        this.basePath = settings.basePath();
        this.assembler = new MembershipAssembler(basePath);
        this.cache = CuratorCache.builder(client, basePath)
                // Failed reads while disconnected are expected; the cache re-reads everything on reconnect.
                .withExceptionHandler(e -> log.warn("Gateway directory: reading {} failed: {}", basePath,
                        e.toString()))
                .build();
    }

    /**
     * Starts watching the base path. Returns at once; {@link #awaitInitialized(Duration)} waits for the first
     * complete read.
     *
     * @param client a started client; it stays the caller's, to close after this directory
     */
    public static GatewayDirectory start(CuratorFramework client, DiscoverySettings settings) {
        GatewayDirectory directory = new GatewayDirectory(client, settings);
        directory.start();
        return directory;
    }

    private void start() {
        client.getConnectionStateListenable().addListener(connectionLogger);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> refreshView())
                .forInitialized(() -> {
                    refreshView();
                    initialized.countDown();
                    log.info("Gateway directory on {} initialized: {} live gateway(s) {}", basePath,
                            membership.size(), membership);
                })
                .build());
        cache.start();
    }

    /** @return whether the first complete read finished within the timeout */
    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The current view; immutable, safe to keep and to read from any thread. */
    public GatewayMembership membership() {
        return membership;
    }

    /** The live gateways, sorted by id; immutable. */
    public List<GatewayNode> live() {
        return membership.nodes();
    }

    public Optional<GatewayNode> find(String id) {
        return membership.find(id);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private synchronized void refreshView() {
        GatewayMembership previous = membership;
        GatewayMembership current = assembler.assemble(cache.stream());
        if (current.equals(previous)) {
            return;
        }
        membership = current;
        logChange(previous, current);
        for (Listener listener : listeners) {
            try {
                listener.membershipChanged(previous, current);
            } catch (RuntimeException e) {
                log.error("Gateway directory listener {} failed", listener, e);
            }
        }
    }

    private static void logChange(GatewayMembership previous, GatewayMembership current) {
        Set<String> before = ids(previous);
        Set<String> after = ids(current);
        if (before.equals(after)) {
            log.debug("Gateway data changed: {}", current.nodes());
            return;
        }
        Set<String> joined = after.stream().filter(id -> !before.contains(id)).collect(Collectors.toSet());
        Set<String> left = before.stream().filter(id -> !after.contains(id)).collect(Collectors.toSet());
        if (current.isEmpty()) {
            log.warn("Gateways left: {}; no gateway is live", left);
        } else {
            log.info("Gateways joined: {}, left: {}; live: {}", joined, left, current);
        }
    }

    private static Set<String> ids(GatewayMembership membership) {
        return membership.nodes().stream().map(GatewayNode::id).collect(Collectors.toSet());
    }

    private void connectionStateChanged(CuratorFramework ignored, ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> log.warn("Gateway directory: ZooKeeper connection {}; keeping the last view of"
                    + " {} gateway(s) {} until it is back", state, membership.size(), membership);
            case RECONNECTED -> log.info("Gateway directory: reconnected to ZooKeeper; re-reading {}", basePath);
            case CONNECTED, READ_ONLY -> log.info("Gateway directory: ZooKeeper connection {}", state);
        }
    }

    /** Stops watching. The client stays open. */
    @Override
    public void close() {
        client.getConnectionStateListenable().removeListener(connectionLogger);
        cache.close();
        listeners.clear();
    }
}
