package io.herald.core.push;

import io.herald.core.message.PushMessage;
import java.util.Collection;
import java.util.List;

/**
 * A gateway's own side of a push, for the devices connected to it: what {@link InProcessGateway} calls in
 * standalone, and what the internal link serves on a cluster gateway for an API node. Never blocks: it only queues
 * messages on the devices' event loops, so it may run on an event loop.
 */
public interface GatewayDelivery {

    /** Whether the client is connected here. */
    boolean holds(String clientId);

    /** As {@link Gateways#handOver}: QoS 1 messages are already stored for every id; writes nothing. */
    List<HandedOver> handOver(List<DevicePush> pushes);

    /** The sessions of these clients that are connected here re-read their stored messages. */
    void storeChanged(Collection<String> clientIds);

    /** Sends to every device connected here; returns how many. */
    int broadcast(PushMessage message);
}
