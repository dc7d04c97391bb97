package io.herald.api;

import io.herald.core.limit.AttemptLimit;
import io.herald.core.limit.AttemptLimiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));

    private AttemptLimiter limiter(int max, Duration window, int maxKeys) {
        return new AttemptLimiter(new AttemptLimit(max, window), maxKeys, clock);
    }

    @Test
    void aKeyIsBlockedOnceItHasTheMaximumUntilItsWindowEnds() {
        AttemptLimiter limiter = limiter(3, Duration.ofMinutes(5), 100);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blockedFor("dev-1")).isNull();
            limiter.record("dev-1");
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(limiter.blockedFor("dev-1")).isEqualTo(Duration.ofSeconds(270));
        assertThat(limiter.blockedFor("dev-2")).as("other keys are not affected").isNull();
        clock.advance(Duration.ofSeconds(269));
        assertThat(limiter.blockedFor("dev-1")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.blockedFor("dev-1")).isNull();
    }

    @Test
    void aNewWindowStartsAtTheFirstAttemptAfterTheOldOneEnded() {
        AttemptLimiter limiter = limiter(2, Duration.ofMinutes(1), 100);
        limiter.record("a");
        clock.advance(Duration.ofMinutes(1));
        limiter.record("a");
        limiter.record("a");

        assertThat(limiter.blockedFor("a")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void tryAcquireCountsOnlyWhatItAllows() {
        AttemptLimiter limiter = limiter(2, Duration.ofMinutes(1), 100);

        assertThat(limiter.tryAcquire("203.0.113.9")).isNull();
        assertThat(limiter.tryAcquire("203.0.113.9")).isNull();
        assertThat(limiter.tryAcquire("203.0.113.9")).isEqualTo(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.tryAcquire("203.0.113.9")).isNull();
    }

    @Test
    void expiredWindowsGoFirstWhenRoomIsNeeded() {
        AttemptLimiter limiter = limiter(1, Duration.ofMinutes(1), 3);
        limiter.record("old-1");
        limiter.record("old-2");
        clock.advance(Duration.ofMinutes(2));
        limiter.record("new-1");

        assertThat(limiter.size()).isEqualTo(1);
        assertThat(limiter.blockedFor("new-1")).isNotNull();
    }

    @Test
    void memoryIsBoundedEvenWhenEveryWindowIsLive() {
        AttemptLimiter limiter = limiter(1, Duration.ofMinutes(1), 1_000);
        for (int i = 0; i < 50_000; i++) {
            limiter.record("id-" + i);
        }

        assertThat(limiter.size()).isEqualTo(1_000);
        assertThat(limiter.blockedFor("id-49999")).as("the newest windows are kept").isNotNull();
        assertThat(limiter.blockedFor("id-0")).as("the oldest were dropped").isNull();
    }

    @Test
    void offCountsNothing() {
        AttemptLimiter limiter = new AttemptLimiter(AttemptLimit.OFF, clock);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("x")).isNull();
        }
        assertThat(limiter.size()).isZero();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new AttemptLimit(-1, Duration.ofMinutes(1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> new AttemptLimit(5, Duration.ofMillis(10))).hasMessageContaining("1 second");
        assertThat(new AttemptLimit(10, Duration.ofMinutes(5))).hasToString("10/PT5M");
        assertThat(AttemptLimit.OFF).hasToString("off");
    }
}
