package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.idempotency.Claim;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The idempotency key table on every database Herald runs on: claims, answers, expiry, and the race. */
class JdbcIdempotencyStoreTest {
    private static final String KEY = "a".repeat(64);
    private static final String BODY_A = "1".repeat(64);
    private static final String BODY_B = "2".repeat(64);
    private static final long NOW = 1_000_000;
    private static final long WINDOW = 60_000;
    private static final long ABANDONED = 10_000;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of(named("H2", TestDatabase::h2InMemory)),
                Arguments.of(named("MariaDB", ServerTestDatabase::mariaDb)),
                Arguments.of(named("PostgreSQL", ServerTestDatabase::postgres)));
    }

    private static org.junit.jupiter.api.Named<Supplier<TestDatabase>> named(String name,
                                                                             Supplier<TestDatabase> database) {
        return org.junit.jupiter.api.Named.of(name, database);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aClaimedKeyIsInProgressThenAnsweredThenFreeAfterItsWindow(Supplier<TestDatabase> created) {
        try (TestDatabase testDatabase = created.get(); Database database = Database.open(testDatabase.settings())) {
            JdbcIdempotencyStore store = new JdbcIdempotencyStore(database);

            Claim first = store.claim(KEY, BODY_A, NOW, NOW + WINDOW, ABANDONED);
            assertThat(first.kind()).isEqualTo(Claim.Kind.CLAIMED);
            Claim meanwhile = store.claim(KEY, BODY_B, NOW + 1, NOW + 1 + WINDOW, ABANDONED);
            assertThat(meanwhile.kind()).isEqualTo(Claim.Kind.IN_PROGRESS);
            assertThat(meanwhile.sameRequest(BODY_A)).isTrue();

            byte[] answer = "{\"messageId\":\"1\"}".getBytes(StandardCharsets.UTF_8);
            store.complete(first, 202, answer);
            Claim replay = store.claim(KEY, BODY_A, NOW + 2, NOW + 2 + WINDOW, ABANDONED);
            assertThat(replay.kind()).isEqualTo(Claim.Kind.COMPLETED);
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body()).isEqualTo(answer);
            assertThat(replay.sameRequest(BODY_B)).isFalse();

            // The window is counted from the first claim; past it the key serves a new request.
            Claim later = store.claim(KEY, BODY_B, NOW + WINDOW, NOW + 2 * WINDOW, ABANDONED);
            assertThat(later.kind()).isEqualTo(Claim.Kind.CLAIMED);
            assertThat(store.purgeExpired(NOW + WINDOW)).isZero();
            assertThat(store.purgeExpired(NOW + 2 * WINDOW)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReleasedOrAbandonedClaimFreesTheKeyAndALateCompletionOfItChangesNothing(Supplier<TestDatabase> created) {
        try (TestDatabase testDatabase = created.get(); Database database = Database.open(testDatabase.settings())) {
            JdbcIdempotencyStore store = new JdbcIdempotencyStore(database);

            Claim failed = store.claim(KEY, BODY_A, NOW, NOW + WINDOW, ABANDONED);
            store.release(failed);
            Claim abandoned = store.claim(KEY, BODY_A, NOW + 1, NOW + WINDOW, ABANDONED);
            assertThat(abandoned.kind()).isEqualTo(Claim.Kind.CLAIMED);

            assertThat(store.claim(KEY, BODY_A, NOW + ABANDONED, NOW + WINDOW, ABANDONED).kind())
                    .isEqualTo(Claim.Kind.IN_PROGRESS);
            Claim takenOver = store.claim(KEY, BODY_A, NOW + 1 + ABANDONED, NOW + WINDOW, ABANDONED);
            assertThat(takenOver.kind()).isEqualTo(Claim.Kind.CLAIMED);

            store.complete(abandoned, 500, new byte[] {1}); // the lost node wakes up: too late
            store.release(abandoned);
            assertThat(store.claim(KEY, BODY_A, NOW + 2 + ABANDONED, NOW + WINDOW, ABANDONED).kind())
                    .isEqualTo(Claim.Kind.IN_PROGRESS);
            store.complete(takenOver, 202, new byte[] {2});
            Claim answered = store.claim(KEY, BODY_A, NOW + 3 + ABANDONED, NOW + WINDOW, ABANDONED);
            assertThat(answered.status()).isEqualTo(202);
            assertThat(answered.body()).containsExactly(2);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void ofManyConcurrentClaimsOfOneKeyExactlyOneWins(Supplier<TestDatabase> created) throws Exception {
        int threads = 12;
        int keys = 20;
        try (TestDatabase testDatabase = created.get(); Database database = Database.open(testDatabase.settings())) {
            JdbcIdempotencyStore store = new JdbcIdempotencyStore(database);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int k = 0; k < keys; k++) {
                    String key = String.format("%064x", k);
                    if (k % 2 == 1) { // every other key has an expired answer to take over
                        Claim old = store.claim(key, BODY_B, NOW - 2 * WINDOW, NOW - WINDOW, ABANDONED);
                        store.complete(old, 202, new byte[] {9});
                    }
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Claim>> claims = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        claims.add(pool.submit(() -> {
                            start.await();
                            return store.claim(key, BODY_A, NOW, NOW + WINDOW, ABANDONED);
                        }));
                    }
                    start.countDown();
                    int won = 0;
                    for (Future<Claim> claim : claims) {
                        won += claim.get().kind() == Claim.Kind.CLAIMED ? 1 : 0;
                        if (claim.get().kind() != Claim.Kind.CLAIMED) {
                            assertThat(claim.get().kind()).isEqualTo(Claim.Kind.IN_PROGRESS);
                        }
                    }
                    assertThat(won).as("claims of key %d that won", k).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
