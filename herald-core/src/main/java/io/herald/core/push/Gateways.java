package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The second port of {@link StoreFirstPushService}: how to reach the gateway holding a device. Standalone: the one
 * in-process gateway ({@link InProcessGateway}); cluster: the internal link to each gateway. A future that fails
 * means the gateway could not be asked; the push service then handles its devices as offline.
 *
 * @param <G> a gateway, as the {@link DeviceLocator} names it
 */
public interface Gateways<G> {

    /**
     * Hands each message to those of its ids connected at the gateway, in list order (so two messages to one device
     * arrive in that order). Every QoS 1 message was stored by the caller for every one of its ids, durably, before
     * this call: the gateway writes nothing, and the device's ACK deletes the stored copy. Completes with one answer
     * per push, in order.
     */
    CompletableFuture<List<HandedOver>> handOver(G gateway, List<DevicePush> pushes);

    /** Messages were stored for these clients behind their sessions' backs: those connected there read the store. */
    CompletableFuture<Void> storeChanged(G gateway, Collection<String> clientIds);

    /** The gateways a broadcast goes to. */
    Collection<G> all();

    /** Sends to every device connected at the gateway; completes with how many. */
    CompletableFuture<Integer> broadcast(G gateway, PushMessage message);
}
