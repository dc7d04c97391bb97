package io.herald.gateway.handler;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Flushes the upstream ACKs written on an event loop once per turn of its task queue, not once per ACK: the
 * archive completes a whole batch at once, so a connection's ACKs of one batch (and of the batches completed
 * meanwhile) leave in one {@code writev}. Event loop only; one instance per event loop thread.
 *
 * <p>Back-pressure is unchanged: a written ACK counts in the channel's outbound buffer at once, so a device that
 * does not read its ACKs still turns its channel unwritable and has its reading paused
 * ({@code ReadPause.Reason.UNWRITABLE}); the flush follows within the same turn of the loop.
 */
final class AckFlusher {
    private static final FastThreadLocal<AckFlusher> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected AckFlusher initialValue() {
            return new AckFlusher();
        }
    };

    private final Set<Channel> unflushed = new LinkedHashSet<>();
    private final Runnable flushAll = this::flushAll;

    private AckFlusher() {
    }

    /** Writes the ACK and has it flushed after the tasks already queued on this event loop. */
    static void write(Channel channel, Object ack) {
        channel.write(ack, channel.voidPromise());
        PER_LOOP.get().flushLater(channel);
    }

    private void flushLater(Channel channel) {
        if (unflushed.isEmpty()) {
            channel.eventLoop().execute(flushAll);
        }
        unflushed.add(channel);
    }

    private void flushAll() {
        List<Channel> channels = new ArrayList<>(unflushed);
        unflushed.clear();
        for (Channel channel : channels) {
            channel.flush();
        }
    }
}
