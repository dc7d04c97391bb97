package io.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.Events;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.message.PushMessage;

import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DownstreamQueue#offerStored}: a QoS 1 message the push wrote to the store before handing it over. The
 * queue runs on an embedded channel's loop (tasks run when the test says so) over a real in-memory store behind
 * the real {@link OfflineStorage} stripes.
 */
class StoredOfferTest {
    private static final String CLIENT = "dev-1";
    private static final AtomicLong IDS = new AtomicLong(5_000);

    private final InMemoryOfflineStore store = new InMemoryOfflineStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OfflineStorage storage = new OfflineStorage(store,
            new GatewayMetrics(meters, new ChannelRegistry(16)), Clock.systemUTC(), 2);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<String> toldAfterClose = new ArrayList<>();
    private DownstreamQueue queue;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        storage.close();
    }

    private DownstreamQueue queue(int maxInflight, int maxQueued) {
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), new ChannelRegistry(16));
        queue = new DownstreamQueue(channel, CLIENT, new DeliveryServices(
                new DownstreamQueue.Limits(maxInflight, maxQueued, Duration.ofSeconds(30), 5, 256), storage,
                metrics, Clock.systemUTC(), toldAfterClose::add, new Disconnector(metrics),
                Events.NONE), DeviceReceiveLimits.NONE);
        return queue;
    }

    /** Lets every store operation submitted so far finish, then runs what they handed back to the loop. */
    private void settle() {
        storage.pending(CLIENT, 1).join(); // one stripe per client, in order: earlier operations are done
        channel.runPendingTasks();
    }

    private DownstreamQueue liveQueue(int maxInflight, int maxQueued) {
        DownstreamQueue live = queue(maxInflight, maxQueued);
        live.start(new long[0]);
        settle();
        assertThat(live.isLive()).as("live once the empty store was read").isTrue();
        return live;
    }

    /** Stores the message as the push service does before the hand-over. */
    private PushMessage stored() {
        long now = System.currentTimeMillis();
        PushMessage message = new PushMessage(IDS.incrementAndGet(), ContentType.TEXT, Qos.AT_LEAST_ONCE,
                "m".getBytes(StandardCharsets.UTF_8), null, now, now + 60_000);
        store.store(List.of(CLIENT), message);
        return message;
    }

    private List<Long> sentIds() {
        List<Long> ids = new ArrayList<>();
        for (Object written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            ids.add(((MessageFrame) written).messageId());
        }
        return ids;
    }

    private List<Long> storedIds() {
        return store.pending(CLIENT, System.currentTimeMillis(), 100).stream().map(PushMessage::messageId).toList();
    }

    /** What the queue's own writes added to the store ({@code herald.offline.stored}). */
    private double storedByQueue() {
        return meters.get("herald.offline.stored").counter().count();
    }

    @Test
    void liveModeSendsItAndTheAckDeletesItFromTheStore() {
        DownstreamQueue live = liveQueue(32, 100);
        PushMessage message = stored();

        live.offerStored(message);

        MessageFrame frame = channel.readOutbound();
        assertThat(frame.messageId()).isEqualTo(message.messageId());
        assertThat(frame.duplicate()).as("first sent now, whatever the store holds").isFalse();
        assertThat(storedIds()).as("kept until acked").containsExactly(message.messageId());
        live.acked(message.messageId());
        await().atMost(Duration.ofSeconds(5)).until(() -> storedIds().isEmpty());
        assertThat(storedByQueue()).isZero();
    }

    @Test
    void closeDoesNotStoreItAgainButKeepsIt() {
        DownstreamQueue live = liveQueue(1, 100);
        PushMessage sent = stored();
        PushMessage waiting = stored();
        live.offerStored(sent);
        live.offerStored(waiting);
        assertThat(sentIds()).containsExactly(sent.messageId());

        live.close().join();

        assertThat(storedIds()).containsExactly(sent.messageId(), waiting.messageId());
        assertThat(storedByQueue()).as("nothing written again at close").isZero();
        assertThat(live.leftInStore()).as("a newer session elsewhere must read the store again").isTrue();
    }

    @Test
    void anIdleSessionLeavesNothingInTheStore() {
        DownstreamQueue live = liveQueue(32, 100);
        PushMessage message = stored();
        live.offerStored(message);
        live.acked(message.messageId());

        live.close().join();

        assertThat(live.leftInStore()).as("nothing unacked, queued or unread: no notice to send").isFalse();
    }

    @Test
    void aSessionClosedBeforeItsStoreWasReadMayHaveLeftMessagesThere() {
        DownstreamQueue starting = queue(32, 100);
        starting.start(new long[0]);

        starting.close().join();

        assertThat(starting.leftInStore()).isTrue();
    }

    @Test
    void storeModeLeavesItForTheNextFetchWithoutWritingIt() {
        DownstreamQueue starting = queue(32, 100);
        starting.start(new long[0]);
        storage.pending(CLIENT, 1).join(); // the first fetch has read the still empty store; not applied yet
        PushMessage message = stored();

        starting.offerStored(message); // still in store mode
        assertThat(sentIds()).isEmpty();
        settle(); // the first fetch's empty answer must not end store mode: the message landed meanwhile
        settle(); // the second fetch reads it

        assertThat(sentIds()).containsExactly(message.messageId());
        starting.acked(message.messageId());
        settle();
        assertThat(starting.isLive()).isTrue();
        assertThat(sentIds()).as("sent once").isEmpty();
        assertThat(storedIds()).isEmpty();
        assertThat(storedByQueue()).isZero();
    }

    @Test
    void aHandOverThatAFetchOvertookIsNotSentAgain() {
        // The push stored the message and is waiting for the write to be durable before it hands it over; the
        // device connects meanwhile and its first fetch reads it, sends it and gets the ACK.
        PushMessage message = stored();
        DownstreamQueue starting = queue(32, 100);
        starting.start(new long[0]);
        settle();
        assertThat(sentIds()).containsExactly(message.messageId());
        starting.acked(message.messageId());
        settle();

        starting.offerStored(message); // the push's hand-over, late

        assertThat(sentIds()).as("delivered once already").isEmpty();
        assertThat(storedIds()).isEmpty();
        starting.close().join();
        assertThat(storedIds()).as("not stored again at close").isEmpty();
    }

    @Test
    void aHandOverThatAFetchOvertookIsNotSentBesideTheFetchedCopy() {
        PushMessage first = stored();
        PushMessage second = stored();
        DownstreamQueue starting = queue(1, 100);
        starting.start(new long[0]);
        settle();
        assertThat(sentIds()).containsExactly(first.messageId()); // the second waits behind it (window 1)

        starting.offerStored(second); // its push's hand-over, late
        starting.acked(first.messageId());
        settle();
        List<Long> sent = new ArrayList<>(sentIds());
        starting.acked(second.messageId());
        settle();
        sent.addAll(sentIds());

        assertThat(sent).as("the second once").containsExactly(second.messageId());
        assertThat(storedIds()).isEmpty();
    }

    @Test
    void overflowWithStoredMessagesKeepsOrderAndSendsEachOnce() {
        DownstreamQueue live = liveQueue(1, 1);
        PushMessage first = stored();
        PushMessage second = stored();
        PushMessage third = stored(); // the queue is full: store mode, left in the store

        live.offerStored(first);
        live.offerStored(second);
        live.offerStored(third);
        List<Long> sent = new ArrayList<>(sentIds());
        for (PushMessage message : List.of(first, second, third)) {
            live.acked(message.messageId());
            settle();
            settle();
            sent.addAll(sentIds());
        }

        assertThat(sent).containsExactly(first.messageId(), second.messageId(), third.messageId());
        assertThat(storedIds()).isEmpty();
        assertThat(live.isLive()).isTrue();
        assertThat(storedByQueue()).isZero();
    }

    @Test
    void closedQueueOnlyTellsTheNewerSession() {
        DownstreamQueue closed = liveQueue(32, 100);
        closed.close().join();
        PushMessage message = stored();

        closed.offerStored(message);

        assertThat(toldAfterClose).containsExactly(CLIENT);
        assertThat(sentIds()).isEmpty();
        assertThat(storedIds()).containsExactly(message.messageId());
        assertThat(storedByQueue()).isZero();
    }
}
