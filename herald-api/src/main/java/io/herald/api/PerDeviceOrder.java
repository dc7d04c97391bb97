package io.herald.api;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs the pushes of one batch concurrently, except that a push to a device starts only once every earlier push of
 * the batch to that device has completed. Two pushes in flight together may be stored and handed to the device's
 * queue in either order; one after the other, they are delivered in the batch's order. Used from one thread.
 */
final class PerDeviceOrder {
    private final Executor executor;
    /** The latest push of the batch to each device. */
    private final Map<String, CompletableFuture<?>> latest = new HashMap<>();

    /** @param executor runs the pushes that had to wait (not the push service's completing thread) */
    PerDeviceOrder(Executor executor) {
        this.executor = executor;
    }

    /**
     * Starts {@code push} now, or after the earlier pushes to any of {@code clientIds}.
     *
     * @param push must not throw, and its future must not fail (a failure is an outcome, as in {@link PushSender})
     */
    <T> CompletableFuture<T> run(List<String> clientIds, Supplier<CompletableFuture<T>> push) {
        Set<CompletableFuture<?>> earlier = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String clientId : clientIds) {
            CompletableFuture<?> previous = latest.get(clientId);
            if (previous != null) {
                earlier.add(previous);
            }
        }
        CompletableFuture<T> done = earlier.isEmpty() ? push.get()
                : CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new))
                        .thenComposeAsync(ready -> push.get(), executor);
        for (String clientId : clientIds) {
            latest.put(clientId, done);
        }
        return done;
    }
}
