package io.herald.gateway.delivery;

import static io.herald.gateway.delivery.TraceLogging.withTrace;

import io.herald.core.message.PushMessage;
import io.herald.gateway.session.LoggableText;
import io.herald.protocol.AckStatus;
import io.herald.protocol.Qos;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downstream delivery to one connected device, in push order, confined to the channel's event loop.
 *
 * <p>Two modes. In <b>live</b> mode QoS 1 messages wait in a bounded in-memory queue and go out while fewer
 * than {@code maxInflight} are unacked and the channel is writable (a slow device never grows the heap without
 * bound). In <b>store</b> mode (right after connecting, and whenever the queue overflows) new QoS 1 messages go
 * to the offline store, and the queue is refilled from the store in id order, batch by batch, until the store
 * holds nothing more for the device; then it returns to live mode. Store operations for a client run in
 * submission order ({@link OfflineStorage}), so a fetch always sees earlier stores and removals. A QoS 1 message
 * the push stored before handing it over ({@link #offerStored}) joins the queue as if read from the store; in store
 * mode it is left there for the next fetch.
 *
 * <p>A QoS 1 message carries the DUPLICATE flag only when it was sent to the device before: on a resend, and when an
 * earlier session sent it and closed without its ACK ({@link SentBefore}); a message stored while the device was
 * offline goes out the first time without it.
 *
 * <p>Each sent QoS 1 message waits for the device's ACK; without one it is sent again (DUPLICATE flag) with a
 * doubling delay, and after {@code maxAttempts} the connection is closed with ERROR ACK_TIMEOUT
 * ({@link InflightMessages}). On close every QoS 1 message not yet acked and not already in the store is handed to
 * the store. QoS 0 messages are written if the channel is
 * writable and dropped otherwise.
 *
 * <p>The device's own {@link DeviceReceiveLimits} narrow this: the in-flight window is the smaller of
 * {@code maxInflight} and the device's Receive Maximum, and a message whose packet would exceed the device's Maximum
 * Packet Size is dropped as if delivered (removed from the store, logged, counted) instead of being sent.
 */
public final class DownstreamQueue {
    private static final Logger log = LoggerFactory.getLogger(DownstreamQueue.class);

    /** How delivery is tuned; one instance serves every queue. */
    public record Limits(int maxInflight, int maxQueued, Duration retryInterval, int maxAttempts, int replayBatch) {
    }

    /**
     * {@code fromStore}: the message is in the store (a fetch read it, or it was stored before the hand-off).
     * {@code replayed}: read back from the store by a fetch, so its ACK counts as an offline delivery; a push
     * written to the store while the device was connected ({@link #offerStored}) is a live delivery.
     */
    private record Pending(PushMessage message, boolean fromStore, boolean replayed) {
        Pending(PushMessage message, boolean fromStore) {
            this(message, fromStore, false);
        }
    }

    private final Channel channel;
    private final String clientId;
    /** Shared by every queue: limits, store, metrics, clock, close callbacks. */
    private final DeliveryServices services;
    /** What the device itself accepts: {@link DeviceReceiveLimits#NONE} unless it said (MQTT 5). */
    private final DeviceReceiveLimits device;

    // Both are made on first use: most connected devices sit idle, and an empty ArrayDeque, HashSet and
    // LinkedHashMap cost about 250 bytes per connection at tens of thousands of connections.
    /** QoS 1 messages not sent yet, in order; null until the first one waits. */
    private ArrayDeque<Pending> waiting;
    /** Sent and not acked, and the ids that go out marked DUPLICATE; null until the first QoS 1 send or id. */
    private InflightMessages inflight;
    private boolean storeMode = true;
    /** Set by {@link #open}, once AUTH_OK is out: QoS 0 messages before it are dropped, not sent ahead of AUTH_OK. */
    private boolean opened;
    /** Set by {@link #start}: nothing QoS 1 goes out before, whatever a push or store change asks. */
    private boolean started;
    private boolean fetching;
    private boolean closed;
    /** Counts completed spills to the store, so a fetch can tell whether something was stored after it began. */
    private long spillCount;
    /**
     * Spills whose write has not completed yet. A fetch may run before such a write lands and miss the message,
     * so the queue stays in store mode until none is pending and nothing landed during the last fetch.
     */
    private int spillsInProgress;
    /** Set by {@link #close}: see {@link #leftInStore()}. */
    private boolean leftInStore;
    /** What the store reads returned lately, for hand-overs they overtook; null until one returns something. */
    private FetchedIds fetchedIds;

    public DownstreamQueue(Channel channel, String clientId, DeliveryServices services, DeviceReceiveLimits device) {
        this.channel = channel;
        this.clientId = clientId;
        this.services = services;
        this.device = device;
    }

    /**
     * AUTH_OK went out: QoS 0 messages may be written from now on. Before, the session is bound but its token is
     * still being checked a second time, and it may yet be refused.
     */
    public void open() {
        assertInEventLoop();
        opened = true;
    }

    /** Whether AUTH_OK went out ({@link #open}). Event loop only. */
    public boolean isOpen() {
        return opened;
    }

    /**
     * Begins delivering what the store holds for the device; called once, after {@link #open}.
     *
     * @param sentBefore ids of stored messages an earlier session sent and did not get acked
     */
    public void start(long[] sentBefore) {
        assertInEventLoop();
        if (sentBefore.length > 0) {
            inflight().inherit(sentBefore);
        }
        started = true;
        pump();
    }

    /**
     * Ids sent to the device and not acked, for the next session (at most {@link SentBefore#MAX_IDS_PER_DEVICE}:
     * a device that acks nothing over many sessions loses the flag on the oldest, which the protocol allows).
     */
    public long[] sentUnacked() {
        return inflight == null ? new long[0] : inflight.sentUnacked();
    }

    /** Queues a message pushed while the device is connected. */
    public void offer(PushMessage message) {
        offer(message, false);
    }

    /**
     * Queues a QoS 1 message the push already wrote to the offline store for this device. It is handled like one
     * read from the store: close does not store it again and the ACK deletes it, so a gateway killed before the ACK
     * loses nothing (the next session replays it).
     */
    public void offerStored(PushMessage message) {
        offer(message, true);
    }

    private void offer(PushMessage message, boolean stored) {
        assertInEventLoop();
        if (message.isExpired(services.clock().millis())) {
            return;
        }
        if (stored && fetchedIds != null && fetchedIds.contains(message.messageId())) {
            return; // a fetch overtook the hand-over: that copy is being, or has been, delivered
        }
        if (message.qos() == Qos.AT_MOST_ONCE) {
            if (OversizedMessages.dropped(clientId, device, message, services.metrics())) {
                return;
            }
            if (!closed && opened && channel.isWritable()) {
                channel.writeAndFlush(MessageFrames.of(message, false), channel.voidPromise());
            } else {
                services.metrics().droppedUnwritable();
            }
            return;
        }
        if (closed) {
            // pushed while the connection was closing: make sure it is stored, and let a newer session know
            if (stored) {
                services.storedAfterClose().accept(clientId);
            } else {
                services.offline().store(clientId, List.of(message))
                        .thenRun(() -> services.storedAfterClose().accept(clientId));
            }
            return;
        }
        if (!storeMode && waitingCount() >= services.limits().maxQueued()) {
            storeMode = true; // from now on, keep push order by going through the store
        }
        if (storeMode && stored) {
            spillCount++; // like a completed spill: the write has landed, so the next fetch reads it
        } else if (storeMode) {
            spillsInProgress++;
            services.offline().store(clientId, List.of(message)).whenComplete((ok, error) ->
                    channel.eventLoop().execute(() -> spilled(message, error)));
        } else {
            waiting().add(new Pending(message, stored));
        }
        pump();
    }

    /**
     * The device answered a message with ACK. OK and REJECTED end its delivery (REJECTED: the device will never take
     * it, so resending is pointless; it is logged); RETRY leaves it in flight, to be resent on the usual schedule
     * (and counted towards giving up). An ACK for an id not in flight on this connection is ignored.
     */
    public void acked(long messageId, AckStatus status, String reason) {
        assertInEventLoop();
        if (status == AckStatus.RETRY) {
            return; // not taken now: the resend timer of the message, if in flight, sends it again
        }
        PushMessage rejected = status == AckStatus.REJECTED && inflight != null ? inflight.message(messageId) : null;
        if (rejected != null) {
            withTrace(rejected, () -> log.info("[{}] message {} rejected by the device: {}",
                    clientId, Long.toUnsignedString(messageId), LoggableText.of(reason)));
        }
        delivered(messageId, status == AckStatus.REJECTED);
    }

    /** The device took a message (ACK OK, MQTT PUBACK). */
    public void acked(long messageId) {
        assertInEventLoop();
        delivered(messageId, false);
    }

    private void delivered(long messageId, boolean rejected) {
        InflightMessages.Inflight done = inflight == null ? null : inflight.acked(messageId);
        if (done == null) {
            return; // a late ack for a message already acked, or not sent on this connection
        }
        services.metrics().downstreamAcked();
        services.events().messageAcked(clientId, messageId, rejected);
        if (done.replayed) {
            services.metrics().offlineDelivered();
        }
        if (done.fromStore) {
            services.offline().remove(clientId, messageId);
        }
        pump();
    }

    /** Something was stored for this device behind the queue's back (a push that raced its connect). */
    public void storeChanged() {
        assertInEventLoop();
        if (closed) {
            return;
        }
        spillCount++;
        storeMode = true;
        pump();
    }

    /** A spill's write completed: the store now holds the message, so the next fetch reads it. */
    private void spilled(PushMessage message, Throwable error) {
        spillsInProgress--;
        if (error != null) {
            withTrace(message, () -> log.error("[{}] could not store message {} for delivery", clientId,
                    Long.toUnsignedString(message.messageId()), error));
        }
        if (closed) {
            return;
        }
        spillCount++;
        storeMode = true;
        pump();
    }

    /** The channel became writable again. */
    public void writable() {
        assertInEventLoop();
        pump();
    }

    /**
     * After {@link #close}: whether the session may have left messages in the store that it had not delivered
     * (false when it closed with nothing unacked, queued or unread). Event loop.
     */
    public boolean leftInStore() {
        return leftInStore;
    }

    public int inflightCount() {
        return inflight == null ? 0 : inflight.count();
    }

    public int waitingCount() {
        return waiting == null ? 0 : waiting.size();
    }

    /**
     * The connection closed: cancels retries and hands every unacked QoS 1 message that is not in the store yet
     * to the store. The future completes when they are stored.
     */
    public CompletableFuture<Void> close() {
        assertInEventLoop();
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        closed = true;
        // Anything unacked (stored already or stored now), a spill still being written, or a store not read to
        // its end since something was stored: the store holds messages a newer session may have read before.
        leftInStore = inflightCount() > 0 || waitingCount() > 0 || spillsInProgress > 0 || storeMode;
        List<PushMessage> unsaved = new ArrayList<>();
        if (inflight != null) {
            inflight.close(unsaved);
        }
        if (waiting != null) {
            for (Pending pending : waiting) {
                if (!pending.fromStore) {
                    unsaved.add(pending.message);
                }
            }
            waiting.clear();
        }
        long now = services.clock().millis();
        unsaved.removeIf(message -> message.isExpired(now));
        return services.offline().store(clientId, unsaved);
    }

    private void pump() {
        if (closed || !started) {
            return;
        }
        boolean wrote = false;
        long now = services.clock().millis();
        int window = Math.min(services.limits().maxInflight(), device.receiveMaximum());
        while (waitingCount() > 0 && inflightCount() < window && channel.isWritable()) {
            Pending next = waiting.poll();
            if (next.message.isExpired(now)) {
                if (next.fromStore) {
                    services.offline().remove(clientId, next.message.messageId());
                }
                continue;
            }
            if (inflight != null && inflight.contains(next.message.messageId())) {
                continue;
            }
            if (OversizedMessages.dropped(clientId, device, next.message, services.metrics())) {
                if (next.fromStore) {
                    services.offline().remove(clientId, next.message.messageId());
                }
                continue;
            }
            inflight().send(next.message, next.fromStore, next.replayed);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
        if (storeMode && waitingCount() == 0 && inflightCount() == 0 && !fetching) {
            fetchFromStore();
        }
    }

    private void fetchFromStore() {
        fetching = true;
        long spillsBefore = spillCount;
        services.offline().pending(clientId, services.limits().replayBatch()).whenComplete((batch, error) ->
                channel.eventLoop().execute(() -> fetched(batch, error, spillsBefore)));
    }

    private void fetched(List<PushMessage> batch, Throwable error, long spillsBefore) {
        fetching = false;
        if (closed) {
            return;
        }
        if (error != null) {
            log.error("[{}] could not read stored messages; closing so the device retries", clientId, error);
            channel.close();
            return;
        }
        for (PushMessage message : batch) {
            waiting().add(new Pending(message, true, true));
            if (fetchedIds == null) {
                fetchedIds = new FetchedIds();
            }
            fetchedIds.add(message.messageId());
        }
        if (batch.size() < services.limits().replayBatch() && spillCount == spillsBefore && spillsInProgress == 0) {
            storeMode = false; // everything stored has been read, nothing was stored since, and no write is pending
        }
        pump();
    }

    private ArrayDeque<Pending> waiting() {
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        return waiting;
    }

    private InflightMessages inflight() {
        if (inflight == null) {
            inflight = new InflightMessages(channel, clientId, services);
        }
        return inflight;
    }

    private void assertInEventLoop() {
        assert channel.eventLoop().inEventLoop() : "DownstreamQueue used off its event loop";
    }

    /** For tests and diagnostics. */
    boolean isLive() {
        return !storeMode;
    }

    Iterator<Long> inflightIds() {
        return inflight == null ? Collections.emptyIterator() : inflight.ids();
    }
}
