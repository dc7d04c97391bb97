package io.herald.gateway.session;

import io.herald.gateway.limit.UpstreamAllowance;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A session's upstream side: how many of its messages are being handled, the chain that keeps them in the device's
 * order, and its standing with the rate limit. Made at the device's first upstream message ({@link DeviceSession}
 * keeps one reference, null until then: most connected devices only listen). Event loop only.
 */
final class SessionUpstream {
    private static final CompletableFuture<Void> NOTHING_PENDING = CompletableFuture.completedFuture(null);

    private int pending;
    /** Null until the rate limiter first asks, and when upstream rates are not limited. */
    private UpstreamAllowance allowance;
    /** The last message's handling; the next one starts after it. Null until the first message. */
    private CompletableFuture<?> tail;

    int started() {
        return ++pending;
    }

    int finished() {
        return --pending;
    }

    UpstreamAllowance allowance(long now) {
        if (allowance == null) {
            allowance = new UpstreamAllowance(now);
        }
        return allowance;
    }

    <T> CompletableFuture<T> afterPrevious(Supplier<CompletableFuture<T>> next) {
        CompletableFuture<?> previous = tail == null ? NOTHING_PENDING : tail;
        CompletableFuture<T> result = previous.handle((ignored, error) -> null).thenCompose(v -> next.get());
        tail = result;
        return result;
    }
}
