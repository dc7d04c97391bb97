package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.GatewayDelivery;
import io.herald.core.push.HandedOver;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.SessionManager;
import io.herald.protocol.Qos;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's side of a push: hands messages to the delivery queues of the devices connected here, grouped by
 * event loop ({@link BroadcastWriter}). In standalone the push service calls it in process; in a cluster the
 * internal link serves an API node's requests with it. It writes nothing to the store: a QoS 1 message reaches it
 * already stored for every target, and the device's ACK deletes it.
 */
public final class ChannelDelivery implements GatewayDelivery {
    private static final Logger log = LoggerFactory.getLogger(ChannelDelivery.class);

    private final ChannelRegistry registry;
    private final SessionManager sessions;
    private final BroadcastWriter writer;

    public ChannelDelivery(ChannelRegistry registry, SessionManager sessions, BroadcastWriter writer) {
        this.registry = registry;
        this.sessions = sessions;
        this.writer = writer;
    }

    @Override
    public boolean holds(String clientId) {
        return registry.find(clientId) != null;
    }

    /** Messages in list order: the writer queues each one's tasks before the next one's on every event loop. */
    @Override
    public List<HandedOver> handOver(List<DevicePush> pushes) {
        List<HandedOver> answers = new ArrayList<>(pushes.size());
        for (DevicePush push : pushes) {
            List<Channel> connected = new ArrayList<>(push.clientIds().size());
            List<String> notHeld = new ArrayList<>(0);
            for (String clientId : push.clientIds()) {
                Channel channel = registry.find(clientId);
                if (channel != null) {
                    connected.add(channel);
                } else {
                    notHeld.add(clientId);
                }
            }
            if (push.message().qos() == Qos.AT_LEAST_ONCE) {
                writer.deliverStored(connected, push.message());
            } else {
                writer.deliver(connected, push.message());
            }
            answers.add(new HandedOver(connected.size(), notHeld));
            if (log.isDebugEnabled()) {
                TraceLogging.withTrace(push.message(), () -> log.debug("message {} handed to {} connected device(s),"
                        + " {} not held here", push.message().messageId(), connected.size(), notHeld.size()));
            }
        }
        return answers;
    }

    @Override
    public void storeChanged(Collection<String> clientIds) {
        clientIds.forEach(sessions::storeChanged);
    }

    @Override
    public int broadcast(PushMessage message) {
        return writer.broadcast(registry, message);
    }
}
