package io.herald.gateway.delivery;

import static io.herald.gateway.delivery.TraceLogging.withTrace;

import io.herald.core.message.PushMessage;
import io.herald.protocol.ErrorCode;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QoS 1 messages of one {@link DownstreamQueue} sent to the device and not acked yet. Each is sent again
 * (DUPLICATE flag) with a doubling delay until the device acks it; after {@code maxAttempts} sends the connection is
 * closed with ERROR ACK_TIMEOUT. Also knows which ids go out with the DUPLICATE flag: those sent before and not
 * acked, by this session or an earlier one ({@link SentBefore}). Confined to the channel's event loop, like its
 * queue, which makes it at the first QoS 1 send (an idle connection pays nothing for it).
 */
final class InflightMessages {
    /** The queue's logger: the lines about a delivery keep the category they always had. */
    private static final Logger log = LoggerFactory.getLogger(DownstreamQueue.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

    /** One sent message waiting for its ACK. */
    static final class Inflight {
        final PushMessage message;
        /** In the store (a fetch read it, or the push stored it before the hand-off): the ACK deletes it there. */
        final boolean fromStore;
        /** Read back from the store by a fetch: its ACK counts as an offline delivery. */
        final boolean replayed;
        int attempts = 1;
        ScheduledFuture<?> retry;

        Inflight(PushMessage message, boolean fromStore, boolean replayed) {
            this.message = message;
            this.fromStore = fromStore;
            this.replayed = replayed;
        }
    }

    private final Channel channel;
    private final String clientId;
    private final DeliveryServices services;
    /** Sent and not acked, in send order; null until the first send. */
    private Map<Long, Inflight> sent;
    /**
     * Ids sent to the device (by this session or, as {@link SentBefore} remembered, an earlier one) and not acked:
     * exactly these go out with the DUPLICATE flag. Bounded by the in-flight window plus what was inherited. Null
     * until the first id.
     */
    private Set<Long> sentUnacked;

    InflightMessages(Channel channel, String clientId, DeliveryServices services) {
        this.channel = channel;
        this.clientId = clientId;
        this.services = services;
    }

    /** Ids of stored messages an earlier session sent and did not get acked: they go out marked DUPLICATE. */
    void inherit(long[] sentBefore) {
        for (long id : sentBefore) {
            unackedIds().add(id);
        }
    }

    /** See {@link DownstreamQueue#sentUnacked()}. */
    long[] sentUnacked() {
        if (sentUnacked == null) {
            return new long[0];
        }
        return sentUnacked.stream().mapToLong(Long::longValue).sorted()
                .skip(Math.max(0, sentUnacked.size() - SentBefore.MAX_IDS_PER_DEVICE)).toArray();
    }

    int count() {
        return sent == null ? 0 : sent.size();
    }

    boolean contains(long messageId) {
        return sent != null && sent.containsKey(messageId);
    }

    /** The message in flight with this id, or null. */
    PushMessage message(long messageId) {
        Inflight inflight = sent == null ? null : sent.get(messageId);
        return inflight == null ? null : inflight.message;
    }

    /** Writes the message (the caller flushes) and schedules its resend. */
    void send(PushMessage message, boolean fromStore, boolean replayed) {
        Inflight inflight = new Inflight(message, fromStore, replayed);
        if (sent == null) {
            sent = new LinkedHashMap<>();
        }
        sent.put(message.messageId(), inflight);
        boolean sentBefore = !unackedIds().add(message.messageId());
        channel.write(MessageFrames.of(message, sentBefore), channel.voidPromise());
        scheduleRetry(inflight);
    }

    /**
     * The device acked the id: no more resends, no DUPLICATE flag for it. Returns what was in flight, or null for
     * an id not in flight on this connection (a late ACK for a message already acked, or not sent here).
     */
    Inflight acked(long messageId) {
        Inflight done = sent == null ? null : sent.remove(messageId);
        if (sentUnacked != null) {
            sentUnacked.remove(messageId);
        }
        if (done != null && done.retry != null) {
            done.retry.cancel(false);
        }
        return done;
    }

    /** The connection closed: cancels every resend and adds the messages not in the store yet to {@code unsaved}. */
    void close(List<PushMessage> unsaved) {
        if (sent == null) {
            return;
        }
        for (Inflight inflight : sent.values()) {
            if (inflight.retry != null) {
                inflight.retry.cancel(false);
            }
            if (!inflight.fromStore) {
                unsaved.add(inflight.message);
            }
        }
        sent.clear();
    }

    Iterator<Long> ids() {
        return sent == null ? Collections.emptyIterator() : sent.keySet().iterator();
    }

    private void scheduleRetry(Inflight inflight) {
        long delay = Math.min(services.limits().retryInterval().toMillis() << Math.min(inflight.attempts - 1, 20),
                MAX_RETRY_DELAY.toMillis());
        inflight.retry = channel.eventLoop().schedule(() -> retry(inflight), delay, TimeUnit.MILLISECONDS);
    }

    /** A resend timer fired; nothing to do when the message was acked meanwhile or the connection closed. */
    private void retry(Inflight inflight) {
        if (sent == null || sent.get(inflight.message.messageId()) != inflight || !channel.isActive()) {
            return;
        }
        long messageId = inflight.message.messageId();
        if (inflight.attempts >= services.limits().maxAttempts()) {
            withTrace(inflight.message, () -> log.warn("[{}] message {} unacked after {} attempts: closing the"
                    + " connection; it stays stored for the next one", clientId, Long.toUnsignedString(messageId),
                    inflight.attempts));
            services.disconnector().protocolError(channel, ErrorCode.ACK_TIMEOUT, "message "
                    + Long.toUnsignedString(messageId) + " unacknowledged after " + inflight.attempts
                    + " sends; reconnect");
            return;
        }
        inflight.attempts++;
        if (channel.isWritable()) {
            services.metrics().downstreamRetried();
            channel.writeAndFlush(MessageFrames.of(inflight.message, true), channel.voidPromise());
        } // else the device is not reading what is already queued: another copy would only pile up; it counts anyway
        scheduleRetry(inflight);
    }

    private Set<Long> unackedIds() {
        if (sentUnacked == null) {
            sentUnacked = new HashSet<>();
        }
        return sentUnacked;
    }
}
