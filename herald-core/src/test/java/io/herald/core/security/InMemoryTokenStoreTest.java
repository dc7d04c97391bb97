package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.DeviceIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTokenStoreTest {
    private static final DeviceIdentity DEVICE = new DeviceIdentity("dev", 3);

    private final InMemoryTokenStore store = new InMemoryTokenStore(Clock.systemUTC());

    @Test
    void aTokenResolvesToItsRegistrationUntilRevoked() {
        Token first = store.issue(DEVICE, Duration.ofMinutes(1));
        Token second = store.issue(DEVICE, Duration.ofMinutes(1));

        assertThat(store.resolve(first.value())).contains(DEVICE);
        store.revoke(first.value());
        assertThat(store.resolve(first.value())).isEmpty();
        assertThat(store.resolve(second.value())).as("only that token").contains(DEVICE);
        store.revokeAll("dev");
        assertThat(store.resolve(second.value())).isEmpty();
        assertThat(store.size()).isZero();
    }

    /**
     * Issuing and revoking all race: every token must stay reachable through its client's set, or a later
     * revokeAll (a delete) would miss it. The old store added to a set that a concurrent revokeAll had already
     * taken out of the map, leaving tokens no revokeAll could find.
     */
    @Test
    void noTokenIssuedDuringARevokeAllEscapesTheNextOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    work.add(pool.submit(() -> {
                        go.await();
                        for (int n = 0; n < 50; n++) {
                            store.issue(DEVICE, Duration.ofMinutes(1));
                        }
                        return null;
                    }));
                }
                work.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 50; n++) {
                        store.revokeAll("dev");
                    }
                    return null;
                }));
                go.countDown();
                for (Future<?> future : work) {
                    future.get(10, TimeUnit.SECONDS);
                }
                store.revokeAll("dev");
                assertThat(store.size()).as("tokens left after round " + round).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
