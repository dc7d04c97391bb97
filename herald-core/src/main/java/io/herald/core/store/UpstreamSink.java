package io.herald.core.store;

import io.herald.core.message.UpstreamMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a gateway's archive handler hands accepted upstream messages: the embedded database in standalone, the
 * Kafka topic in a cluster (an archiver then stores them). The device is acked only after {@link #append} returned,
 * so it must return only once the batch is durable. Blocking: call it off the event loops.
 */
public interface UpstreamSink {

    /**
     * Makes a batch durable. Idempotent as seen from the archive: a message whose {@code (clientId, messageId)}
     * was already appended is stored once, so a device's resend after a reconnect is harmless.
     *
     * @return how many of the batch were new, when the sink can tell; otherwise the batch size
     */
    int append(List<UpstreamMessage> messages);

    /**
     * Like {@link #append}, but may return before the batch is durable: the stage completes (with what
     * {@link #append} returns) when it is, or fails when it cannot be made so. Lets a caller that acks from the stage
     * go on with the next batch meanwhile, so that a sink which makes writes durable in groups (an embedded
     * database flushing its file) serves several batches with one flush. The default is {@link #append}, completed.
     *
     * @throws RuntimeException when the write itself fails, as {@link #append} does
     */
    default CompletableFuture<Integer> appendDurably(List<UpstreamMessage> messages) {
        return CompletableFuture.completedFuture(append(messages));
    }
}
