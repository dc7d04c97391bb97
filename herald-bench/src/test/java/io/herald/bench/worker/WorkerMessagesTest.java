package io.herald.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.bench.fleet.Receipts;
import io.herald.bench.fleet.RoundReceipts;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What a worker writes on its stdout is what the parent reads back: counts, fingerprints, histograms, ids. */
class WorkerMessagesTest {

    @Test
    void receiptsTravelWithTheirFingerprintAndHistograms() {
        Histogram latency = new Histogram(3);
        latency.recordValue(1_234);
        latency.recordValue(98_765);
        Receipts sent = new Receipts(2, 1, Receipts.mix(42) + Receipts.mix(-7), 1_700_000_000_000_000L, latency, latency);
        Receipts read = WorkerMessages.receipts(WorkerMessages.parse(WorkerMessages.receipts(sent)));
        assertThat(read.distinct()).isEqualTo(2);
        assertThat(read.duplicates()).isEqualTo(1);
        assertThat(read.fingerprint()).isEqualTo(sent.fingerprint());
        assertThat(read.lastReceiveMicros()).isEqualTo(sent.lastReceiveMicros());
        assertThat(read.latencyMicros().getTotalCount()).isEqualTo(2);
        assertThat(read.latencyMicros().getMaxValue()).isEqualTo(latency.getMaxValue());
    }

    @Test
    void aProgressPollCarriesNoHistograms() {
        Receipts read = WorkerMessages.receipts(WorkerMessages.parse(WorkerMessages.receipts(
                new Receipts(3, 0, 99, 5, null, null))));
        assertThat(read.latencyMicros()).isNull();
        assertThat(read.fingerprint()).isEqualTo(99);
    }

    @Test
    void roundReceiptsTravelWhole() {
        Histogram latency = new Histogram(3);
        latency.recordValue(500);
        RoundReceipts read = WorkerMessages.round(WorkerMessages.parse(WorkerMessages.round(
                new RoundReceipts(10, 9, 2, latency, latency))));
        assertThat(read.expected()).isEqualTo(10);
        assertThat(read.delivered()).isEqualTo(9);
        assertThat(read.duplicates()).isEqualTo(2);
        assertThat(read.latencyMicros().getTotalCount()).isEqualTo(1);
    }

    /** Snowflake-like ids, unsorted, with a gap of many bits: all come back, sorted. */
    @Test
    void idsArePackedAndUnpackedExactly() {
        long[] ids = {(1L << 40) + 4095, 3, 1L << 40, Long.MAX_VALUE, (1L << 40) + 1};
        long[] read = WorkerMessages.receiptIds(WorkerMessages.parse(WorkerMessages.receiptIds(ids)));
        assertThat(read).containsExactly(3, 1L << 40, (1L << 40) + 1, (1L << 40) + 4095, Long.MAX_VALUE);
    }
}
