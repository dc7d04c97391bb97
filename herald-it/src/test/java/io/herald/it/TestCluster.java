package io.herald.it;

import static org.awaitility.Awaitility.await;

import io.herald.gateway.GatewaySettings;
import io.herald.server.cluster.ArchiverNode;
import io.herald.server.cluster.ClusterApiNode;
import io.herald.server.cluster.ClusterEvents;
import io.herald.server.cluster.ClusterGatewayNode;
import io.herald.store.jdbc.JdbcSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster nodes in this JVM on one set of {@link ClusterServices} and one database: gateways, API nodes and
 * optionally an archiver, started side by side (each start waits on ZooKeeper, Redis, Kafka and the database, so
 * starting them one after the other would add those waits up) and closed side by side.
 */
final class TestCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestCluster.class);
    private static final Duration VIEW_WAIT = Duration.ofSeconds(15);

    private final ClusterServices services;
    private final JdbcSettings jdbc;
    private final Map<String, ClusterGatewayNode> gateways = new ConcurrentSkipListMap<>();
    private final List<ClusterApiNode> apiNodes = new ArrayList<>();
    private volatile ArchiverNode archiver;

    private TestCluster(ClusterServices services, JdbcSettings jdbc) {
        this.services = services;
        this.jdbc = jdbc;
    }

    /**
     * Starts gateways with the given ids, one API node per routing strategy named (node numbers 1, 2, ...), and
     * an archiver if asked; returns once every API node sees every gateway.
     */
    static TestCluster start(ClusterServices services, JdbcSettings jdbc, List<String> gatewayIds,
                             List<String> apiRoutings, boolean withArchiver) {
        return start(services, jdbc, gatewayIds, apiRoutings, withArchiver, 0);
    }

    /** @param gatewayOpsPort 0: each gateway has /health and /metrics on a free port; -1: none */
    static TestCluster start(ClusterServices services, JdbcSettings jdbc, List<String> gatewayIds,
                             List<String> apiRoutings, boolean withArchiver, int gatewayOpsPort) {
        return start(services, jdbc, gatewayIds, apiRoutings, withArchiver, gatewayOpsPort, UnaryOperator.identity());
    }

    /** @param gatewayTuning changes to every gateway's settings (MQTT on, ...) */
    static TestCluster start(ClusterServices services, JdbcSettings jdbc, List<String> gatewayIds,
                             List<String> apiRoutings, boolean withArchiver, int gatewayOpsPort,
                             UnaryOperator<GatewaySettings> gatewayTuning) {
        return start(services, jdbc, gatewayIds, apiRoutings, withArchiver, gatewayOpsPort, gatewayTuning,
                ClusterEvents.OFF);
    }

    /** @param events where every gateway's and API node's events go */
    static TestCluster start(ClusterServices services, JdbcSettings jdbc, List<String> gatewayIds,
                             List<String> apiRoutings, boolean withArchiver, int gatewayOpsPort,
                             UnaryOperator<GatewaySettings> gatewayTuning, ClusterEvents events) {
        long started = System.nanoTime();
        TestCluster cluster = new TestCluster(services, jdbc);
        List<Callable<AutoCloseable>> starts = new ArrayList<>();
        for (String id : gatewayIds) {
            starts.add(() -> ClusterGatewayNode.start(NodeSettings.gateway(id, services, jdbc, gatewayOpsPort,
                    gatewayTuning).withEvents(events)));
        }
        for (int i = 0; i < apiRoutings.size(); i++) {
            int number = i + 1;
            String routing = apiRoutings.get(i);
            starts.add(() -> ClusterApiNode.start(NodeSettings.api(number, routing, services, jdbc)
                    .withEvents(events)));
        }
        if (withArchiver) {
            starts.add(() -> ArchiverNode.start(NodeSettings.archiver(services.kafka(), jdbc)));
        }
        List<AutoCloseable> nodes = inParallel(starts);
        for (AutoCloseable node : nodes) {
            if (node instanceof ClusterGatewayNode gateway) {
                cluster.gateways.put(gateway.gateway().settings().gatewayId(), gateway);
            } else if (node instanceof ClusterApiNode api) {
                cluster.apiNodes.add(api);
            } else {
                cluster.archiver = (ArchiverNode) node;
            }
        }
        cluster.awaitApiNodesSee(gatewayIds.size());
        log.info("cluster of {} gateway(s), {} API node(s){} started in {} ms", gatewayIds.size(),
                apiRoutings.size(), withArchiver ? " and an archiver" : "",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return cluster;
    }

    /** Waits until every API node's view from ZooKeeper holds at least {@code count} gateways. */
    void awaitApiNodesSee(int count) {
        await().atMost(VIEW_WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> apiNodes.stream().allMatch(api -> api.liveGateways() >= count));
    }

    ClusterGatewayNode gateway(String id) {
        ClusterGatewayNode gateway = gateways.get(id);
        if (gateway == null) {
            throw new IllegalArgumentException("no gateway " + id + " in " + gateways.keySet());
        }
        return gateway;
    }

    Map<String, ClusterGatewayNode> gateways() {
        return gateways;
    }

    /** The id of the in-process gateway whose device TCP port ends {@code hostPort} ("host:port"). */
    String gatewayIdOf(String hostPort) {
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        return gateways.entrySet().stream().filter(e -> e.getValue().tcpPort() == port).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** {@link Metrics#sum} over every gateway's {@code /metrics}. */
    double gatewayMetric(String name, String... labels) {
        return gateways.values().stream().mapToDouble(g -> Metrics.sum(g.opsPort(), name, labels)).sum();
    }

    ClusterApiNode apiNode(int index) {
        return apiNodes.get(index);
    }

    HttpApi api(int index) {
        return new HttpApi(apiNodes.get(index).httpPort());
    }

    ArchiverNode archiver() {
        return archiver;
    }

    /**
     * Stops a gateway the graceful way ({@link ClusterGatewayNode#close(Duration)}): it leaves ZooKeeper, tells its
     * devices to reconnect within {@code reconnectWindow}, and is no longer part of this cluster. Returns how long
     * the stop took.
     */
    Duration drainGateway(String id, Duration reconnectWindow) {
        ClusterGatewayNode gateway = gateway(id);
        gateways.remove(id);
        long started = System.nanoTime();
        gateway.close(reconnectWindow);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Closes the archiver (offsets of stored batches committed) and starts a new one in the same group. */
    Duration restartArchiver() {
        long started = System.nanoTime();
        archiver.close();
        archiver = ArchiverNode.start(NodeSettings.archiver(services.kafka(), jdbc));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public void close() {
        long started = System.nanoTime();
        List<AutoCloseable> nodes = new ArrayList<>(apiNodes);
        nodes.addAll(gateways.values());
        if (archiver != null) {
            nodes.add(archiver);
        }
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            CompletableFuture.allOf(nodes.stream()
                    .map(node -> CompletableFuture.runAsync(() -> closeQuietly(node), threads))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
        log.info("cluster closed in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Runs every task on a thread of its own and waits for all. If any fails, the results of the others are
     * closed and the first failure is thrown.
     */
    private static List<AutoCloseable> inParallel(List<Callable<AutoCloseable>> tasks) {
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<CompletableFuture<AutoCloseable>> futures = tasks.stream()
                    .map(task -> CompletableFuture.supplyAsync(() -> {
                        try {
                            return task.call();
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    }, threads))
                    .toList();
            try {
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                futures.stream().filter(f -> !f.isCompletedExceptionally()).map(CompletableFuture::join)
                        .forEach(TestCluster::closeQuietly);
                throw e;
            }
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }
    }

    private static void closeQuietly(AutoCloseable node) {
        try {
            node.close();
        } catch (Exception e) {
            log.warn("closing {} failed", node, e);
        }
    }
}
