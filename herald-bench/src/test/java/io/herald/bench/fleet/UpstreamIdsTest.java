package io.herald.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A bench process that sends upstream after another one against the same running server sends ids the earlier one
 * did not: counted from 1 in each process, every message of a second run was a repeat the server only acknowledged.
 */
class UpstreamIdsTest {

    @Test
    void aLaterProcessStartsPastEverythingAnEarlierOneCouldHaveSentMeanwhile() throws InterruptedException {
        long earlier = UpstreamSender.idsOfThisProcessStartAfter();
        Thread.sleep(5);
        long later = UpstreamSender.idsOfThisProcessStartAfter();

        assertThat(earlier).isPositive();
        // 5 ms apart: room for at least 5 × 65,536 ids of the earlier process, far more than 5 ms of sending.
        assertThat(later - earlier).isGreaterThanOrEqualTo(5L * 65_536);
    }
}
