package io.herald.cluster.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.util.ServiceUtils;

/**
 * A standalone ZooKeeper server in this JVM, on one loopback port and one data directory for its whole life, so that
 * {@link #restart()} brings back the persistent nodes.
 *
 * <p>Why not curator-test's {@code TestingServer}: it starts ZooKeeper with the exit handler that calls
 * {@code System.exit(2)} when the server cannot bind its port. The port is probed free before ZooKeeper binds it, so
 * another process on the machine can take it in between; in CI that killed the whole herald-it test fork. Here
 * ZooKeeper's exit requests are only logged ({@link ServiceUtils#LOG_ONLY}), and a failed bind is an exception the
 * caller can retry on another port.
 *
 * <p>Why not ZooKeeper's own {@code ZooKeeperServerEmbedded}: a standalone server that fails to start only logs the
 * failure on its thread, so its {@code start(timeout)} waits out the whole timeout (20 s a taken port). The server's
 * main runs on a thread of this class instead, which ends the wait as soon as the server is up or has failed.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
    /** How long a start may take on a busy machine before it counts as failed. */
    private static final long START_TIMEOUT_MS = 20_000;

    private final int port;
    private final int tickMs;
    private final Path baseDir;
    private ZooKeeperServerMain running;
    private Thread runner;

    private EmbeddedZooKeeper(int port, int tickMs, Path baseDir) {
        this.port = port;
        this.tickMs = tickMs;
        this.baseDir = baseDir;
    }

    /** Starts a server on {@code port}, or on a free port when it is -1. Fails (and cleans up) if it cannot bind. */
    static EmbeddedZooKeeper start(int port, int tickMs) throws Exception {
        EmbeddedZooKeeper server = new EmbeddedZooKeeper(port == -1 ? freePort() : port, tickMs,
                Files.createTempDirectory("herald-zk-"));
        try {
            server.restart();
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    int getPort() {
        return port;
    }

    String getConnectString() {
        return "127.0.0.1:" + port;
    }

    /** Stops the server; its sessions' clients see the connection drop. */
    synchronized void stop() throws InterruptedException {
        if (running != null) {
            running.close(); // returns once the server has shut down; its main then returns on the runner thread
            runner.join(START_TIMEOUT_MS);
            running = null;
            runner = null;
        }
    }

    /**
     * Starts again on the same port and data directory (stopping first if it runs); returns once the server serves,
     * or throws as soon as it failed (a port in use, ...).
     */
    synchronized void restart() throws Exception {
        stop();
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
        QuorumPeerConfig parsed = new QuorumPeerConfig();
        parsed.parseProperties(configuration());
        ServerConfig config = new ServerConfig();
        config.readFrom(parsed);
        CompletableFuture<Void> started = new CompletableFuture<>();
        ZooKeeperServerMain server = new ZooKeeperServerMain() {
            @Override
            protected void serverStarted() {
                started.complete(null);
            }
        };
        Thread thread = new Thread(() -> {
            try {
                server.runFromConfig(config); // returns when the server shuts down
                started.completeExceptionally(new IOException("ZooKeeper shut down before it started"));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "zookeeper-" + port);
        thread.setDaemon(true);
        thread.start();
        try {
            started.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            server.close();
            thread.join(START_TIMEOUT_MS);
            throw new IOException("ZooKeeper did not start on 127.0.0.1:" + port,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        running = server;
        runner = thread;
    }

    private Properties configuration() {
        Properties properties = new Properties();
        properties.setProperty("dataDir", baseDir.resolve("data").toString());
        properties.setProperty("clientPort", Integer.toString(port));
        properties.setProperty("clientPortAddress", "127.0.0.1");
        properties.setProperty("tickTime", Integer.toString(tickMs));
        properties.setProperty("admin.enableServer", "false");
        properties.setProperty("maxClientCnxns", "0");
        return properties;
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
