package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts downstream messages: {@link StoreFirstPushService}, in standalone over the in-process gateway and in a
 * cluster over the links to the gateways. Completes once every online target has the message queued for delivery
 * and every offline QoS 1 target has it stored.
 */
public interface PushService {

    CompletableFuture<PushResult> push(PushMessage message, PushTargets targets);

    /**
     * Pushes many messages, each to its own devices, together: one lookup of all their ids, their QoS 1 stores handed
     * to the store at once, one hand-over per gateway. Two messages to the same device are handed over in list
     * order. Returns one future per message, in list order; a message fails alone when its own store fails.
     */
    List<CompletableFuture<PushResult>> pushAll(List<DevicePush> pushes);
}
