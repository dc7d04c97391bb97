package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.Jitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);

    private static Backoff backoff(Jitter jitter, long seed) {
        return new Backoff(INITIAL, MAX, 2.0, jitter, new Random(seed));
    }

    private static List<Long> delays(Backoff backoff, int count) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            delays.add(backoff.nextDelay().toMillis());
        }
        return delays;
    }

    @Test
    void fullJitterCeilingGrowsExponentiallyUpToTheCap() {
        Backoff backoff = backoff(Jitter.FULL, 1);

        assertThat(IntStream.rangeClosed(1, 9).mapToLong(backoff::ceilingMillis).toArray())
                .containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000);
        assertThat(backoff.ceilingMillis(10_000)).isEqualTo(30_000);
    }

    @Test
    void fullJitterDelaysStayWithinTheirCeilingAndGrowOnAverage() {
        int runs = 200;
        double[] meanByAttempt = new double[8];
        for (int seed = 0; seed < runs; seed++) {
            Backoff backoff = backoff(Jitter.FULL, seed);
            List<Long> delays = delays(backoff, meanByAttempt.length);
            for (int attempt = 1; attempt <= delays.size(); attempt++) {
                long delay = delays.get(attempt - 1);
                assertThat(delay).isBetween(0L, backoff.ceilingMillis(attempt));
                meanByAttempt[attempt - 1] += delay / (double) runs;
            }
        }
        for (int i = 1; i < 6; i++) {
            // Uniform on [0, ceiling]: each mean is about twice the previous one until the cap.
            assertThat(meanByAttempt[i]).isBetween(meanByAttempt[i - 1] * 1.6, meanByAttempt[i - 1] * 2.4);
        }
        assertThat(meanByAttempt[7]).isBetween(13_000.0, 17_000.0);
    }

    @Test
    void jitterSpreadsDelaysOfTheSameAttempt() {
        List<Long> fifthDelays = new ArrayList<>();
        for (int seed = 0; seed < 50; seed++) {
            fifthDelays.add(delays(backoff(Jitter.FULL, seed), 5).get(4));
        }

        assertThat(fifthDelays.stream().distinct().count()).isGreaterThan(40);
        assertThat(fifthDelays.stream().mapToLong(Long::longValue).max().getAsLong()
                - fifthDelays.stream().mapToLong(Long::longValue).min().getAsLong()).isGreaterThan(4000);
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        assertThat(delays(backoff(Jitter.FULL, 42), 10)).isEqualTo(delays(backoff(Jitter.FULL, 42), 10));
        assertThat(delays(backoff(Jitter.DECORRELATED, 42), 10))
                .isEqualTo(delays(backoff(Jitter.DECORRELATED, 42), 10));
    }

    @Test
    void decorrelatedJitterStaysBetweenInitialAndThreeTimesThePreviousDelay() {
        for (int seed = 0; seed < 50; seed++) {
            Backoff backoff = backoff(Jitter.DECORRELATED, seed);
            long previous = INITIAL.toMillis();
            for (int i = 0; i < 30; i++) {
                long delay = backoff.nextDelay().toMillis();
                assertThat(delay).isBetween(INITIAL.toMillis(), Math.min(MAX.toMillis(), previous * 3));
                previous = delay;
            }
        }
    }

    @Test
    void decorrelatedJitterGrowsAndReachesTheCapRegion() {
        double meanFirst = 0;
        double meanTwentieth = 0;
        for (int seed = 0; seed < 200; seed++) {
            List<Long> delays = delays(backoff(Jitter.DECORRELATED, seed), 20);
            meanFirst += delays.get(0) / 200.0;
            meanTwentieth += delays.get(19) / 200.0;
        }

        assertThat(meanFirst).isBetween(500.0, 1500.0);
        // The chain settles around 10 s with these bounds (draws below 10 s pull the next ceiling down).
        assertThat(meanTwentieth).isGreaterThan(8_000.0);
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        Backoff backoff = backoff(Jitter.FULL, 7);
        delays(backoff, 10);
        assertThat(backoff.attempts()).isEqualTo(10);

        backoff.reset();

        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.nextDelay().toMillis()).isBetween(0L, INITIAL.toMillis());
    }

    @Test
    void hugeAttemptCountsDoNotOverflow() {
        Backoff backoff = backoff(Jitter.FULL, 3);
        for (int i = 0; i < 5000; i++) {
            assertThat(backoff.nextDelay().toMillis()).isBetween(0L, MAX.toMillis());
        }
    }
}
