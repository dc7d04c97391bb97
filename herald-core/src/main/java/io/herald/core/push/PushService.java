package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts downstream messages. In standalone the local gateway implements it; in a cluster an implementation
 * routes per-node batches to the gateways. Completes once every online target has the message queued for
 * delivery and every offline QoS 1 target has it stored.
 */
public interface PushService {

    CompletableFuture<PushResult> push(PushMessage message, PushTargets targets);
}
