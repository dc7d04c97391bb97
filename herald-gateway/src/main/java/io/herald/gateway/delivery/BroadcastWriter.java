package io.herald.gateway.delivery;

import io.herald.core.message.PushMessage;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands one message to many connected devices with one task per event loop (per chunk of channels), instead of
 * one task per device. A QoS 0 message is encoded once and the same bytes are written to every channel (but an MQTT
 * device's, which gets its own PUBLISH); a
 * QoS 1 message goes through each device's {@link DownstreamQueue} to be acked and retried.
 */
public final class BroadcastWriter {
    /** Channels one event loop task writes to before yielding, so other I/O on that loop is not starved. */
    private static final int CHANNELS_PER_TASK = 1024;

    private final GatewayMetrics metrics;

    public BroadcastWriter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Sends to every channel in the registry; returns how many channels it was handed to. */
    public int broadcast(ChannelRegistry registry, PushMessage message) {
        return deliver(registry.channels(), message);
    }

    /** Sends to the given channels; returns how many. */
    public int deliver(Collection<Channel> channels, PushMessage message) {
        return deliver(channels, message, false);
    }

    /**
     * Sends a QoS 1 message the push has already stored for each of these devices; their queues treat it as read
     * from the store ({@link DownstreamQueue#offerStored}). Returns how many.
     */
    public int deliverStored(Collection<Channel> channels, PushMessage message) {
        if (message.qos() != Qos.AT_LEAST_ONCE) {
            throw new IllegalArgumentException("only QoS 1 messages are stored, not " + message.qos());
        }
        return deliver(channels, message, true);
    }

    private int deliver(Collection<Channel> channels, PushMessage message, boolean stored) {
        Map<EventLoop, List<Channel>> byLoop = new IdentityHashMap<>();
        int count = 0;
        for (Channel channel : channels) {
            byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>()).add(channel);
            count++;
        }
        if (count == 0) {
            return 0;
        }
        ByteBuf encoded = message.qos() == Qos.AT_MOST_ONCE ? encodeOnce(message) : null;
        try {
            for (Map.Entry<EventLoop, List<Channel>> group : byLoop.entrySet()) {
                List<Channel> list = group.getValue();
                for (int from = 0; from < list.size(); from += CHANNELS_PER_TASK) {
                    List<Channel> chunk = list.subList(from, Math.min(list.size(), from + CHANNELS_PER_TASK));
                    ByteBuf shared = encoded == null ? null : encoded.retain();
                    group.getKey().execute(() -> writeChunk(chunk, message, shared, stored));
                }
            }
        } finally {
            if (encoded != null) {
                encoded.release();
            }
        }
        return count;
    }

    private void writeChunk(List<Channel> chunk, PushMessage message, ByteBuf shared, boolean stored) {
        try {
            for (Channel channel : chunk) {
                DeviceSession session = DeviceSession.of(channel);
                if (session == null || session.downstream() == null) {
                    continue;
                }
                if (shared == null && stored) {
                    session.downstream().offerStored(message);
                } else if (shared == null || session.isMqtt()) {
                    session.downstream().offer(message); // MQTT: the frame becomes a PUBLISH on its way out
                } else if (channel.isActive() && channel.isWritable()) {
                    channel.writeAndFlush(shared.retainedDuplicate(), channel.voidPromise());
                } else {
                    metrics.droppedUnwritable();
                }
            }
        } finally {
            if (shared != null) {
                shared.release();
            }
        }
    }

    private static ByteBuf encodeOnce(PushMessage message) {
        return FrameCodec.encode(ByteBufAllocator.DEFAULT, MessageFrames.of(message, false));
    }
}
