package io.herald.gateway.limit;

import static io.herald.gateway.limit.UpstreamRateLimiter.Verdict.ACCEPT;
import static io.herald.gateway.limit.UpstreamRateLimiter.Verdict.CLOSE;
import static io.herald.gateway.limit.UpstreamRateLimiter.Verdict.REFUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.gateway.limit.UpstreamRateLimiter.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The limiter on a clock the test moves: nothing sleeps. */
class UpstreamRateLimiterTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** nanoTime may start anywhere, negative included. */
    private long now = -7_000_000_000L;

    private static UpstreamRate messages(int perSecond, int burst) {
        return new UpstreamRate(perSecond, burst, 0, 0, 0);
    }

    private Verdict send(UpstreamRateLimiter limiter, UpstreamAllowance allowance, int bytes) {
        return limiter.admit(allowance, bytes, now);
    }

    @Test
    void aQuietConnectionMaySendItsBurstAtOnceThenIsRefused() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(messages(10, 5));
        UpstreamAllowance allowance = new UpstreamAllowance(now);

        for (int i = 0; i < 5; i++) {
            assertThat(send(limiter, allowance, 100)).as("message %d", i).isEqualTo(ACCEPT);
        }
        assertThat(send(limiter, allowance, 100)).isEqualTo(REFUSE);
    }

    @Test
    void oneMessageComesBackPerIntervalAndTheBurstRefillsAfterQuiet() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(messages(10, 5));
        UpstreamAllowance allowance = new UpstreamAllowance(now);
        for (int i = 0; i < 5; i++) {
            send(limiter, allowance, 1);
        }

        now += 99 * MS;
        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        now += MS;
        assertThat(send(limiter, allowance, 1)).isEqualTo(ACCEPT);
        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);

        now += 10_000 * MS;
        for (int i = 0; i < 5; i++) {
            assertThat(send(limiter, allowance, 1)).isEqualTo(ACCEPT);
        }
        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
    }

    @Test
    void overALongRunAConnectionSendingNonStopGetsTheRatePlusTheBurst() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(messages(100, 200));
        UpstreamAllowance allowance = new UpstreamAllowance(now);
        int accepted = 0;
        for (int step = 0; step < 10_000; step++) { // 10 s, an attempt every millisecond
            if (send(limiter, allowance, 1) == ACCEPT) {
                accepted++;
            }
            now += MS;
        }
        assertThat(accepted).isBetween(200 + 1_000 - 1, 200 + 1_000 + 1);
    }

    @Test
    void bytesAreLimitedByTheirOwnBucket() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(new UpstreamRate(0, 0, 1_000, 3_000, 0));
        UpstreamAllowance allowance = new UpstreamAllowance(now);

        assertThat(send(limiter, allowance, 1_000)).isEqualTo(ACCEPT);
        assertThat(send(limiter, allowance, 1_000)).isEqualTo(ACCEPT);
        assertThat(send(limiter, allowance, 1_000)).isEqualTo(ACCEPT);
        assertThat(send(limiter, allowance, 10)).isEqualTo(REFUSE);

        now += 10 * MS; // 10 bytes' worth
        assertThat(send(limiter, allowance, 10)).isEqualTo(ACCEPT);
        assertThat(send(limiter, allowance, 10)).isEqualTo(REFUSE);
    }

    @Test
    void aFrameLargerThanTheByteBurstPassesOnAFullAllowanceAndIsRepaidAfterwards() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(new UpstreamRate(0, 0, 1_000, 2_000, 0));
        UpstreamAllowance allowance = new UpstreamAllowance(now);

        assertThat(send(limiter, allowance, 8_000)).isEqualTo(ACCEPT);
        now += 5_999 * MS; // 8 s of debt, minus the 2 s burst: not yet back within the allowance
        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        now += 2 * MS;
        assertThat(send(limiter, allowance, 1)).isEqualTo(ACCEPT);
    }

    @Test
    void aRefusedMessageIsNotCharged() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(new UpstreamRate(10, 1, 1_000, 1_000, 0));
        UpstreamAllowance allowance = new UpstreamAllowance(now);
        assertThat(send(limiter, allowance, 500)).isEqualTo(ACCEPT);
        for (int i = 0; i < 50; i++) {
            assertThat(send(limiter, allowance, 500)).isEqualTo(REFUSE); // messages used up
        }

        now += 100 * MS; // one message back; the bytes were only charged once
        assertThat(send(limiter, allowance, 500)).isEqualTo(ACCEPT);
    }

    @Test
    void refusingMoreThanTheMaximumWithinTheWindowCloses() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(new UpstreamRate(1, 1, 0, 0, 3));
        UpstreamAllowance allowance = new UpstreamAllowance(now);
        send(limiter, allowance, 1);

        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        now += 9_000 * MS; // still the same window
        assertThat(send(limiter, allowance, 1)).isEqualTo(ACCEPT);
        assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        assertThat(send(limiter, allowance, 1)).isEqualTo(CLOSE);
    }

    @Test
    void refusalsAreForgottenWhenTheWindowEnds() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(new UpstreamRate(1, 1, 0, 0, 3));
        UpstreamAllowance allowance = new UpstreamAllowance(now);
        send(limiter, allowance, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        }

        now += UpstreamRateLimiter.REFUSAL_WINDOW_NANOS;
        send(limiter, allowance, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        }
        assertThat(send(limiter, allowance, 1)).isEqualTo(CLOSE);
    }

    @Test
    void maxRefusalsZeroNeverCloses() {
        UpstreamRateLimiter limiter = new UpstreamRateLimiter(messages(1, 1));
        UpstreamAllowance allowance = new UpstreamAllowance(now);
        send(limiter, allowance, 1);
        for (int i = 0; i < 100_000; i++) {
            assertThat(send(limiter, allowance, 1)).isEqualTo(REFUSE);
        }
    }

    @Test
    void settingsAreValidated() {
        assertThat(UpstreamRate.OFF.enabled()).isFalse();
        assertThat(UpstreamRate.DEFAULTS.enabled()).isTrue();
        assertThat(new UpstreamRate(0, 0, 5, 5, 0).enabled()).isTrue();
        assertThatThrownBy(() -> new UpstreamRate(-1, 1, 0, 0, 0)).hasMessageContaining("messages per second");
        assertThatThrownBy(() -> new UpstreamRate(10, 0, 0, 0, 0)).hasMessageContaining("message burst");
        assertThatThrownBy(() -> new UpstreamRate(0, 0, 10, 0, 0)).hasMessageContaining("byte burst");
        assertThatThrownBy(() -> new UpstreamRate(0, 0, 0, 0, -1)).hasMessageContaining("max refusals");
        assertThatThrownBy(() -> new AbuseLimits(UpstreamRate.OFF, -1)).hasMessageContaining("per address");
    }
}
