package io.herald.cluster.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends a large list to Redis in slices, with at most a few slices in flight at once. All at once would make the last
 * command wait for every reply before it (its wait counts against the command timeout, and it delays whatever else
 * shares the connection); one at a time would pay a full round trip per slice. A few in flight keep Redis busy and
 * every command's wait short.
 */
final class SlicedRun {
    private SlicedRun() {
    }

    /**
     * Calls {@code send} for each slice of {@code sliceSize} items, never more than {@code maxInFlight} unfinished at
     * a time; completes when all have, or fails with the first failure (slices not yet started are then skipped).
     */
    static <T> CompletableFuture<Void> run(List<T> items, int sliceSize, int maxInFlight,
                                           Function<List<T>, CompletableFuture<Void>> send) {
        List<List<T>> slices = new ArrayList<>();
        for (int from = 0; from < items.size(); from += sliceSize) {
            slices.add(items.subList(from, Math.min(items.size(), from + sliceSize)));
        }
        AtomicInteger next = new AtomicInteger();
        CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.min(maxInFlight, slices.size())];
        for (int lane = 0; lane < lanes.length; lane++) {
            lanes[lane] = nextSlice(slices, next, send);
        }
        return CompletableFuture.allOf(lanes);
    }

    /** One lane: takes the next unsent slice, and when it is done, the one after. */
    private static <T> CompletableFuture<Void> nextSlice(List<List<T>> slices, AtomicInteger next,
                                                        Function<List<T>, CompletableFuture<Void>> send) {
        int index = next.getAndIncrement();
        if (index >= slices.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return send.apply(slices.get(index)).thenCompose(done -> nextSlice(slices, next, send));
    }
}
