package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.redis.RedisSessionRegistry.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSessionRegistryTest {
    private static final Instant NOW = Instant.parse("2024-06-01T10:00:00.250Z");
    private static final Logger log = LoggerFactory.getLogger(RedisSessionRegistryTest.class);

    /*
     * The bulk tests send 100,000 commands under the build's PARANOID leak detector, on machines that may be busy:
     * a generous timeout keeps them about correctness. RedisRestartTest covers the timeout itself.
     */
    @RegisterExtension
    static final PrivateRedis redis = new PrivateRedis(
            settings -> settings.withCommandTimeout(Duration.ofSeconds(15)));

    private RedisSessionRegistry registry;

    @BeforeEach
    void newRegistry() {
        registry = new RedisSessionRegistry(redis.connections(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void firstRegistrationHasNoPreviousLocation() {
        assertThat(get(registry.register("device-1", "gw-1", "conn-a"))).isEmpty();

        assertThat(get(registry.find("device-1"))).contains(new SessionLocation("gw-1", "conn-a", NOW));
        assertThat(redis.connections().sync().get("herald:session:device-1")).isEqualTo("gw-1|conn-a|" + NOW.toEpochMilli());
        assertThat(nodeClients("gw-1")).containsExactly("device-1");
    }

    @Test
    void takeoverOnAnotherNodeReturnsTheOldLocationAndMovesTheClient() {
        get(registry.register("device-1", "gw-1", "conn-a"));

        Optional<SessionLocation> previous = get(registry.register("device-1", "gw-2", "conn-b"));

        assertThat(previous).contains(new SessionLocation("gw-1", "conn-a", NOW));
        assertThat(get(registry.find("device-1"))).contains(new SessionLocation("gw-2", "conn-b", NOW));
        assertThat(nodeClients("gw-1")).isEmpty();
        assertThat(nodeClients("gw-2")).containsExactly("device-1");
    }

    @Test
    void oldConnectionsUnregisterKeepsTheNewerSessionOnTheSameNode() {
        get(registry.register("device-1", "gw-1", "conn-a"));
        get(registry.register("device-1", "gw-1", "conn-b"));

        assertThat(get(registry.unregister("device-1", "gw-1", "conn-a"))).isFalse();

        assertThat(get(registry.find("device-1"))).contains(new SessionLocation("gw-1", "conn-b", NOW));
        assertThat(nodeClients("gw-1")).containsExactly("device-1");

        assertThat(get(registry.unregister("device-1", "gw-1", "conn-b"))).isTrue();
        assertThat(get(registry.find("device-1"))).isEmpty();
        assertThat(nodeClients("gw-1")).isEmpty();
    }

    @Test
    void oldConnectionsUnregisterKeepsTheNewerSessionOnAnotherNode() {
        get(registry.register("device-1", "gw-1", "conn-a"));
        get(registry.register("device-1", "gw-2", "conn-a"));

        assertThat(get(registry.unregister("device-1", "gw-1", "conn-a"))).isFalse();

        assertThat(get(registry.find("device-1"))).contains(new SessionLocation("gw-2", "conn-a", NOW));
        assertThat(nodeClients("gw-2")).containsExactly("device-1");
    }

    @Test
    void unregisterOfAnUnknownClientIsANoOp() {
        assertThat(get(registry.unregister("ghost", "gw-1", "conn-a"))).isFalse();
        assertThat(redis.connections().sync().dbsize()).isZero();
    }

    @Test
    void connectionIdThatPrefixesAnotherDoesNotMatchIt() {
        get(registry.register("device-1", "gw-1", "conn-10"));

        assertThat(get(registry.unregister("device-1", "gw-1", "conn-1"))).isFalse();
        assertThat(get(registry.find("device-1"))).isPresent();
    }

    @Test
    void concurrentRegisterAndUnregisterEndConsistent() throws Exception {
        int threads = 8;
        int opsPerThread = 2_500;
        List<String> clients = IntStream.range(0, 300).mapToObj(i -> "device-" + i).toList();
        List<String> nodes = List.of("gw-1", "gw-2", "gw-3", "gw-4");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int op = 0; op < opsPerThread; op++) {
                        String client = clients.get(random.nextInt(clients.size()));
                        String node = nodes.get(random.nextInt(nodes.size()));
                        String connection = "t" + thread + "-" + op;
                        get(registry.register(client, node, connection));
                        if (random.nextBoolean()) {
                            get(registry.unregister(client, node, connection));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, SessionLocation> sessions = get(registry.lookup(clients));
        Map<String, String> nodeOfClient = new HashMap<>();
        for (String node : nodes) {
            for (String client : nodeClients(node)) {
                assertThat(nodeOfClient.put(client, node)).as("%s is in two node sets", client).isNull();
            }
        }
        assertThat(nodeOfClient.keySet()).as("node sets hold exactly the registered clients")
                .isEqualTo(sessions.keySet());
        sessions.forEach((client, location) -> assertThat(nodeOfClient.get(client)).isEqualTo(location.nodeId()));

        // Each session left over belongs to exactly the connection it names: unregistering that removes it.
        for (Map.Entry<String, SessionLocation> session : sessions.entrySet()) {
            SessionLocation location = session.getValue();
            assertThat(get(registry.unregister(session.getKey(), location.nodeId(), location.connectionId()))).isTrue();
        }
        assertThat(redis.connections().sync().dbsize()).isZero();
    }

    @Test
    void registerAllPipelinesAConnectStorm() {
        int count = 20_000;
        List<Registration> takenOver = IntStream.range(0, 1_000)
                .mapToObj(i -> new Registration("device-" + i, "gw-old", "old-" + i)).toList();
        List<Registration> storm = IntStream.range(0, count)
                .mapToObj(i -> new Registration("device-" + i, i % 2 == 0 ? "gw-1" : "gw-2", "conn-" + i)).toList();

        Map<String, SessionLocation> previous;
        try (ProductionLeakDetection ignored = ProductionLeakDetection.during()) {
            get(registry.registerAll(takenOver));
            long start = System.nanoTime();
            previous = get(registry.registerAll(storm));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.info("registerAll of {} sessions took {} ms", count, millis);
        }

        assertThat(previous).hasSize(takenOver.size());
        assertThat(previous.get("device-7")).isEqualTo(new SessionLocation("gw-old", "old-7", NOW));
        assertThat(redis.connections().sync().scard("herald:node-clients:gw-1")).isEqualTo(count / 2);
        assertThat(redis.connections().sync().scard("herald:node-clients:gw-2")).isEqualTo(count / 2);
        assertThat(redis.connections().sync().exists("herald:node-clients:gw-old")).isZero();
        assertThat(get(registry.find("device-19999"))).contains(new SessionLocation("gw-2", "conn-19999", NOW));
    }

    @Test
    void registerAllOfNothingCompletesAtOnce() {
        assertThat(registry.registerAll(List.of())).isCompletedWithValue(Map.of());
    }

    @Test
    void lookupOfAHundredThousandIdsFindsThePresentOnes() {
        List<Registration> present = IntStream.range(0, 100_000).filter(i -> i % 2 == 0)
                .mapToObj(i -> new Registration("device-" + i, "gw-" + (i % 10), "conn-" + i)).toList();
        List<String> ids = IntStream.range(0, 100_000).mapToObj(i -> "device-" + i).toList();

        Map<String, SessionLocation> found = Map.of();
        try (ProductionLeakDetection ignored = ProductionLeakDetection.during()) {
            get(registry.registerAll(present));
            for (String run : List.of("first", "second")) { // the first includes JIT warm-up
                long start = System.nanoTime();
                found = get(registry.lookup(ids));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                log.info("lookup of {} ids ({} present), {} run, took {} ms", ids.size(), found.size(), run, millis);
            }
        }

        assertThat(found).hasSize(50_000).doesNotContainKey("device-1").doesNotContainKey("device-99999");
        assertThat(found.get("device-0")).isEqualTo(new SessionLocation("gw-0", "conn-0", NOW));
        assertThat(found.get("device-99998")).isEqualTo(new SessionLocation("gw-8", "conn-99998", NOW));
    }

    @Test
    void lookupSkipsValuesThatAreNotLocations() {
        get(registry.register("device-1", "gw-1", "conn-a"));
        redis.connections().sync().set("herald:session:device-2", "garbage");

        assertThat(get(registry.lookup(List.of("device-1", "device-2", "device-3")))).containsOnlyKeys("device-1");
        assertThat(get(registry.find("device-2"))).isEmpty();
        assertThat(get(registry.lookup(List.of()))).isEmpty();
    }

    @Test
    void removeNodeDeletesOnlyThatNodesStillCurrentSessions() {
        List<Registration> onDeadNode = IntStream.range(0, 2_500)
                .mapToObj(i -> new Registration("device-" + i, "gw-dead", "conn-" + i)).toList();
        get(registry.registerAll(onDeadNode));
        List<Registration> movedAway = IntStream.range(0, 500)
                .mapToObj(i -> new Registration("device-" + i, "gw-live", "conn-new-" + i)).toList();
        get(registry.registerAll(movedAway));
        get(registry.register("elsewhere", "gw-live", "conn-x"));
        // A stray set member whose session names another node must survive as that node's session.
        redis.connections().sync().sadd("herald:node-clients:gw-dead", "device-1");

        assertThat(get(registry.removeNode("gw-dead"))).isEqualTo(2_000L);

        assertThat(redis.connections().sync().exists("herald:node-clients:gw-dead")).isZero();
        assertThat(get(registry.find("device-600"))).isEmpty();
        assertThat(get(registry.find("device-1"))).contains(new SessionLocation("gw-live", "conn-new-1", NOW));
        assertThat(nodeClients("gw-live")).hasSize(501);
        assertThat(get(registry.removeNode("gw-dead"))).isZero();
    }

    @Test
    void rejectsIdsThatBreakTheEncoding() {
        assertThatThrownBy(() -> registry.register("device-1", "gw|1", "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id");
        assertThatThrownBy(() -> registry.unregister("", "gw-1", "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client id");
        assertThatThrownBy(() -> new Registration("device-1", "gw-1", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connection id");
    }

    private static Set<String> nodeClients(String nodeId) {
        return redis.connections().sync().smembers("herald:node-clients:" + nodeId);
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(40, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("redis call failed or timed out", e);
        }
    }
}
