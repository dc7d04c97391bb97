package io.herald.core.store;

import io.herald.core.message.UpstreamMessage;
import java.util.List;

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
}
