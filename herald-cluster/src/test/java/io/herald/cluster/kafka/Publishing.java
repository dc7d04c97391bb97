package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes as a busy gateway does: everything at once, then waits until Kafka acknowledged all of it. */
final class Publishing {
    private Publishing() {
    }

    /** @return how long publishing took until the last acknowledgement */
    static Duration publishAll(KafkaUpstreamPublisher publisher, List<UpstreamMessage> messages, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long started = System.nanoTime();
        CompletableFuture<?>[] acks = messages.stream().map(publisher::publish).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(acks).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    static long perSecond(long count, Duration elapsed) {
        return Math.round(count * 1_000_000_000.0 / Math.max(1, elapsed.toNanos()));
    }
}
