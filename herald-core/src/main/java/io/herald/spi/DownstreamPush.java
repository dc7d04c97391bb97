package io.herald.spi;

import io.herald.core.push.PushResult;
import io.herald.protocol.ContentType;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Lets an upstream handler push a message down to a device, as the push API would: see
 * {@link UpstreamHandlerContext#downstream()} for where a node offers it.
 */
public interface DownstreamPush {

    /**
     * Pushes a QoS 1 message to one device: handed over for delivery when it is connected, stored for {@code ttl}
     * when it is offline. The message id is assigned here, from the node's own sequence (unique, increasing).
     *
     * @param traceId carried to the device, or null
     * @return completes with what became of it once it is queued or stored; {@link PushResult#unknownCount()} is 1
     *         when no device has that id
     */
    CompletionStage<PushResult> push(String clientId, ContentType contentType, byte[] payload, Duration ttl,
                                     String traceId);
}
