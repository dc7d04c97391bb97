package io.herald.cluster.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ZooKeeper server with short timeouts, and the clients and recipes of one test, closed in reverse order.
 */
public final class ZooKeeperFixture implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperFixture.class);

    /** The server accepts sessions of 2-20 ticks; a short tick lets sessions expire within a test. */
    static final int TICK_MS = 250;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    static final Duration REFRESH_INTERVAL = Duration.ofMillis(200);

    /** Fresh random ports tried before giving up: another process may take the one probed before ZooKeeper binds. */
    private static final int START_ATTEMPTS = 3;

    final EmbeddedZooKeeper server;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public ZooKeeperFixture() throws Exception {
        this(() -> -1);
    }

    /** {@code ports} gives the port of each attempt; -1 lets Curator pick a random free one. */
    ZooKeeperFixture(IntSupplier ports) throws Exception {
        server = startServer(ports);
    }

    private static EmbeddedZooKeeper startServer(IntSupplier ports) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = ports.getAsInt();
            try {
                return EmbeddedZooKeeper.start(port, TICK_MS);
            } catch (Exception e) {
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
                log.warn("ZooKeeper did not start ({}); trying another port", e.toString());
            }
        }
    }

    public DiscoverySettings settings() {
        return settings(server.getConnectString());
    }

    static DiscoverySettings settings(String connectString) {
        return new DiscoverySettings(connectString, DiscoverySettings.DEFAULT_BASE_PATH, SESSION_TIMEOUT,
                CONNECTION_TIMEOUT, REFRESH_INTERVAL, ZooKeeperClientProperties.NONE);
    }

    CuratorFramework startClient() {
        return startClient(settings());
    }

    CuratorFramework startClient(DiscoverySettings settings) {
        CuratorFramework client = CuratorClients.newClient(settings);
        client.start();
        return closeLater(client);
    }

    /** Closed by {@link #close()}, after everything registered later. */
    <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() throws IOException {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("Closing a test resource failed", e);
            }
        }
        server.close();
    }
}
