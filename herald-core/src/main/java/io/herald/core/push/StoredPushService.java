package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands over a QoS 1 message that the caller has already written to the offline store for every one of the client
 * ids (in a cluster, the API node stores before it asks the gateway). Connected targets get it as a stored message,
 * deleted from the store when they ack it; the others are counted as stored. Nothing is written to the store.
 */
public interface StoredPushService {

    CompletableFuture<PushResult> pushStored(PushMessage message, List<String> clientIds);
}
