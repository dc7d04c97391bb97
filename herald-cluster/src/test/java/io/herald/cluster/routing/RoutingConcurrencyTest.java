package io.herald.cluster.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.discovery.TestGateways;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One strategy instance shared by many threads, as on an API node. */
@Timeout(60)
class RoutingConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 25_000;

    static Iterable<String> names() {
        return RoutingStrategies.names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void answersStayValidWhileTheMembershipChangesUnderConcurrentCalls(String name) throws Exception {
        RoutingStrategy strategy = RoutingStrategies.byName(name);
        List<GatewayMembership> memberships = List.of(TestGateways.membership(3), TestGateways.membership(5),
                TestGateways.membership(4));

        // All threads move through the memberships at about the same pace, as when the directory swaps its view:
        // around each swap some threads still route with the previous one.
        runConcurrently((thread, call) -> {
            GatewayMembership membership = memberships.get(call / 5_000 % memberships.size());
            GatewayNode chosen = strategy.choose("device-" + call, membership).orElseThrow();
            if (!membership.nodes().contains(chosen)) {
                throw new AssertionError(chosen.id() + " is not in " + membership);
            }
        });
    }

    @Test
    void roundRobinStaysExactlyEvenUnderConcurrentCalls() throws Exception {
        assertExactlyEven(new RoundRobinStrategy());
    }

    @Test
    void weightedRoundRobinStaysExactlyEvenUnderConcurrentCalls() throws Exception {
        assertExactlyEven(new WeightedRoundRobinStrategy());
    }

    @Test
    void consistentHashGivesTheSameAnswersConcurrentlyAsSequentially() throws Exception {
        GatewayMembership five = TestGateways.membership(5);
        String[] expected = Spread.assignments(new ConsistentHashStrategy(), five);
        RoutingStrategy shared = new ConsistentHashStrategy();
        GatewayMembership six = TestGateways.membership(6);

        runConcurrently((thread, call) -> {
            int client = call % Spread.CLIENTS;
            if (thread == 0 && call % 100 == 0) {
                shared.choose("device-x", six); // forces ring swaps while the others read
            }
            String chosen = shared.choose(Spread.clientId(client), five).orElseThrow().id();
            if (!chosen.equals(expected[client])) {
                throw new AssertionError(Spread.clientId(client) + " went to " + chosen + ", not " + expected[client]);
            }
        });
    }

    private static void assertExactlyEven(RoutingStrategy strategy) throws Exception {
        GatewayMembership five = TestGateways.membership(5);
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        runConcurrently((thread, call) -> counts.computeIfAbsent(
                strategy.choose("device-" + call, five).orElseThrow().id(), id -> new LongAdder()).increment());

        assertThat(counts).hasSize(5);
        counts.values().forEach(count -> assertThat(count.sum()).isEqualTo(THREADS * CALLS_PER_THREAD / 5));
    }

    @FunctionalInterface
    private interface Call {
        void run(int thread, int call);
    }

    private static void runConcurrently(Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        call.run(thread, i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
