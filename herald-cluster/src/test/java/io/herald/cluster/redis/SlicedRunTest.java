package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SlicedRunTest {

    @Test
    void sendsEverySliceWithAtMostTheAllowedNumberInFlight() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        List<List<Integer>> sent = new ArrayList<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();

        CompletableFuture<Void> all = SlicedRun.run(items, 3, 2, slice -> {
            sent.add(slice);
            CompletableFuture<Void> reply = new CompletableFuture<>();
            pending.add(reply);
            return reply;
        });

        assertThat(sent).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5));
        pending.get(1).complete(null);
        assertThat(sent).hasSize(3).last().isEqualTo(List.of(6, 7, 8));
        pending.get(0).complete(null);
        pending.get(2).complete(null);
        assertThat(all).isNotDone();
        pending.get(3).complete(null);

        assertThat(sent).last().isEqualTo(List.of(9));
        assertThat(all).isCompleted();
    }

    @Test
    void failsWithTheFirstFailureAndStartsNoFurtherSlice() {
        List<List<Integer>> sent = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("redis went away");

        CompletableFuture<Void> all = SlicedRun.run(List.of(1, 2, 3, 4), 1, 1, slice -> {
            sent.add(slice);
            return CompletableFuture.failedFuture(failure);
        });

        assertThat(all).isCompletedExceptionally();
        assertThat(sent).containsExactly(List.of(1));
    }

    @Test
    void nothingToSendCompletesAtOnce() {
        assertThat(SlicedRun.run(List.of(), 10, 4, slice -> new CompletableFuture<>())).isCompleted();
    }
}
