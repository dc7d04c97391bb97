package io.herald.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The parent's QoS 1 check over slices that each report only a count and a fingerprint: a message withheld by one
 * slice, or one received in place of another, must show as lost even when the counts alone would agree.
 */
class DeliveryCheckTest {
    private static final int TAG = 5;

    @Test
    void everyAcceptedIdReceivedAcrossSlicesNeedsNoIds() {
        Slices fleet = new Slices(ids(1, 50), ids(51, 100));
        DeliveryCheck.Outcome outcome = DeliveryCheck.settle(fleet, TAG, set(ids(1, 100)));
        assertThat(outcome.delivered()).isEqualTo(100);
        assertThat(outcome.lost()).isZero();
        assertThat(fleet.idRequests.get()).isZero();
    }

    @Test
    void aMessageWithheldByOneSliceIsLost() {
        Slices fleet = new Slices(ids(1, 50), ids(52, 100));
        DeliveryCheck.Outcome outcome = DeliveryCheck.settle(fleet, TAG, set(ids(1, 100)));
        assertThat(outcome.lost()).isEqualTo(1);
        assertThat(outcome.delivered()).isEqualTo(99);
    }

    /** Same count as accepted, different set: the fingerprint catches it and the ids settle it. */
    @Test
    void aStrayMessageDoesNotHideALostOne() {
        long[] second = LongStream.concat(LongStream.of(ids(52, 100)), LongStream.of(1_000)).toArray();
        Slices fleet = new Slices(ids(1, 50), second);
        DeliveryCheck.Outcome outcome = DeliveryCheck.settle(fleet, TAG, set(ids(1, 100)));
        assertThat(fleet.receipts(TAG, false).distinct()).isEqualTo(100);
        assertThat(outcome.lost()).isEqualTo(1);
        assertThat(fleet.idRequests.get()).isEqualTo(1);
    }

    @Test
    void mergedReceiptsAddCountsDuplicatesAndHistograms() {
        Histogram a = new Histogram(3);
        a.recordValue(100);
        Histogram b = new Histogram(3);
        b.recordValue(200);
        b.recordValue(300);
        Receipts merged = Receipts.merge(List.of(new Receipts(1, 0, Receipts.mix(7), 10, a, a),
                new Receipts(2, 3, Receipts.mix(8) + Receipts.mix(9), 20, b, b)));
        assertThat(merged.distinct()).isEqualTo(3);
        assertThat(merged.duplicates()).isEqualTo(3);
        assertThat(merged.lastReceiveMicros()).isEqualTo(20);
        assertThat(merged.latencyMicros().getTotalCount()).isEqualTo(3);
        assertThat(merged.matches(Set.of(7L, 8L, 9L))).isTrue();
        assertThat(merged.matches(Set.of(7L, 8L, 10L))).isFalse();
    }

    private static long[] ids(long first, long last) {
        return LongStream.rangeClosed(first, last).toArray();
    }

    private static Set<Long> set(long[] ids) {
        Set<Long> set = new HashSet<>();
        LongStream.of(ids).forEach(set::add);
        return set;
    }

    /** Slices of a fleet that received the given ids: answers as workers do, counts and fingerprints merged. */
    private static final class Slices implements SimulatedFleet {
        private final List<long[]> received;
        final AtomicInteger idRequests = new AtomicInteger();

        Slices(long[]... received) {
            this.received = List.of(received);
        }

        @Override
        public Receipts receipts(int tag, boolean histograms) {
            List<Receipts> slices = new ArrayList<>();
            for (long[] ids : received) {
                long fingerprint = LongStream.of(ids).map(Receipts::mix).sum();
                slices.add(new Receipts(ids.length, 0, fingerprint, 0, new Histogram(3), new Histogram(3)));
            }
            return Receipts.merge(slices);
        }

        @Override
        public long[] receivedIds(int tag) {
            idRequests.incrementAndGet();
            return received.stream().flatMapToLong(LongStream::of).toArray();
        }

        @Override
        public DeviceFleet.ConnectResult connectAll(long timeoutNanos) {
            throw notAskedByDeliveryCheck();
        }

        @Override
        public int holdFor(long nanos) {
            throw notAskedByDeliveryCheck();
        }

        @Override
        public void disconnectAll(long timeoutNanos) {
        }

        @Override
        public List<Long> pids() {
            return List.of();
        }

        @Override
        public List<String> clientIds() {
            return List.of();
        }

        @Override
        public int online() {
            return 0;
        }

        @Override
        public int beginRound(int tag) {
            throw notAskedByDeliveryCheck();
        }

        @Override
        public RoundReceipts awaitRound(int tag, long timeoutNanos) {
            throw notAskedByDeliveryCheck();
        }

        @Override
        public void beginReceipts(int tag) {
        }

        @Override
        public UpstreamResult sendUpstream(UpstreamPlan plan) {
            throw notAskedByDeliveryCheck();
        }

        @Override
        public void reconnectOnDrop(ReconnectMode mode) {
        }

        @Override
        public void markBack() {
        }

        @Override
        public FleetStatus status() {
            throw notAskedByDeliveryCheck();
        }

        /** DeliveryCheck asks a fleet only for receipts and ids: the rest of the interface is never called here. */
        private static UnsupportedOperationException notAskedByDeliveryCheck() {
            return new UnsupportedOperationException("a DeliveryCheck asks a fleet only for its receipts and ids");
        }

        @Override
        public void close() {
        }
    }
}
