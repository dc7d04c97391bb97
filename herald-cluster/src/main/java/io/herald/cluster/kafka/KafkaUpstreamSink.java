package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamSink;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster gateway's upstream sink: the gateway's archive handler appends here, and the device is acked once
 * Kafka acknowledged every message of the batch (idempotent producer, acks=all). The archiver stores them in the
 * database; its insert skips a message already stored, so a device's resend after a failed batch lands once.
 */
public final class KafkaUpstreamSink implements UpstreamSink {
    /** Beyond the producer's own delivery timeout, so the producer, not this wait, reports the failure. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(5);

    private final KafkaUpstreamPublisher publisher;
    private final Duration maxWait;

    public KafkaUpstreamSink(KafkaUpstreamPublisher publisher, KafkaSettings settings) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.maxWait = settings.deliveryTimeout().plus(WAIT_MARGIN);
    }

    /**
     * Publishes the batch and waits until Kafka acknowledged all of it.
     *
     * @return the batch size (whether a message is new is decided by the archiver)
     * @throws UpstreamPublishException when any message was not acknowledged; the device is then told to retry
     */
    @Override
    public int append(List<UpstreamMessage> messages) {
        CompletableFuture<?>[] acks = messages.stream().map(publisher::publish).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(acks).get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            return messages.size();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UpstreamPublishException publishFailure ? publishFailure
                    : new UpstreamPublishException("publishing upstream messages failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new UpstreamPublishException("Kafka did not acknowledge " + messages.size()
                    + " upstream message(s) within " + maxWait, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamPublishException("interrupted while waiting for Kafka", e);
        }
    }
}
