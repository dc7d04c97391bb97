package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UpstreamIdGeneratorTest {
    private static final long NOW = 1_750_000_000_000L;

    @Test
    void idsCarryTheTimeInTheirHighBits() {
        UpstreamIdGenerator ids = new UpstreamIdGenerator(() -> NOW);

        long id = ids.next();

        assertThat(id >>> UpstreamIdGenerator.COUNTER_BITS).isEqualTo(NOW - UpstreamIdGenerator.EPOCH_MILLIS);
        assertThat(id).isPositive();
    }

    @Test
    void idsIncreaseWithinAMillisecondAndNeverGoBackWithTheClock() {
        AtomicLong clock = new AtomicLong(NOW);
        UpstreamIdGenerator ids = new UpstreamIdGenerator(clock::get);

        long a = ids.next();
        long b = ids.next();
        clock.set(NOW - 10_000);
        long c = ids.next();

        assertThat(b).isEqualTo(a + 1);
        assertThat(c).isEqualTo(b + 1);
    }

    @Test
    void aRestartLaterStartsAboveEveryEarlierId() {
        UpstreamIdGenerator firstRun = new UpstreamIdGenerator(() -> NOW);
        long last = 0;
        for (int i = 0; i < 100_000; i++) {
            last = firstRun.next();
        }

        UpstreamIdGenerator secondRun = new UpstreamIdGenerator(() -> NOW + 1);

        assertThat(secondRun.next()).isGreaterThan(last);
    }

    @Test
    void idsAreUniqueAcrossThreads() {
        UpstreamIdGenerator ids = new UpstreamIdGenerator();
        Set<Long> seen = ConcurrentHashMap.newKeySet();

        IntStream.range(0, 8).parallel().forEach(t -> {
            Set<Long> local = new HashSet<>();
            for (int i = 0; i < 50_000; i++) {
                local.add(ids.next());
            }
            seen.addAll(local);
        });

        assertThat(seen).hasSize(8 * 50_000);
    }
}
