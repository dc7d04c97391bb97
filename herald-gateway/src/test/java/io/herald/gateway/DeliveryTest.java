package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static io.herald.gateway.EmbeddedGateway.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.device.Device;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushTargets;
import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private static final AtomicLong IDS = new AtomicLong(1_000);
    private final EmbeddedGateway gateway = new EmbeddedGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    private EmbeddedChannel online(String clientId) {
        gateway.devices.insert(new Device(clientId, "hash", Instant.now(), 0));
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor(clientId)));
        awaitFrame(channel, AuthOkFrame.class);
        return channel;
    }

    /** Sends AUTH; unlike {@link #online}, drops nothing the gateway writes after AUTH_OK. */
    private EmbeddedChannel connectAs(String clientId) {
        gateway.devices.insert(new Device(clientId, "hash", Instant.now(), 0));
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor(clientId)));
        return channel;
    }

    /** The first {@code count} MESSAGE frames the gateway writes, as written (a resend would come much later). */
    private static List<MessageFrame> messagesAfterAuth(EmbeddedChannel channel, int count) {
        List<MessageFrame> messages = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            written(channel).stream().filter(MessageFrame.class::isInstance).map(MessageFrame.class::cast)
                    .forEach(messages::add);
            return messages.size() >= count;
        });
        return messages.subList(0, count);
    }

    private static PushMessage message(Qos qos, String text) {
        long now = System.currentTimeMillis();
        return new PushMessage(IDS.incrementAndGet(), ContentType.TEXT, qos, text.getBytes(StandardCharsets.UTF_8),
                "trace-" + text, now, now + 60_000);
    }

    private PushResult push(PushMessage message, String... ids) {
        return gateway.core.pushService().push(message, PushTargets.devices(List.of(ids))).join();
    }

    @Test
    void qos1PushIsDeliveredAndForgottenOnceAcked() {
        EmbeddedChannel channel = online("d1");
        PushMessage message = message(Qos.AT_LEAST_ONCE, "hello");

        PushResult result = push(message, "d1");

        assertThat(result.online()).isEqualTo(1);
        MessageFrame frame = awaitFrame(channel, MessageFrame.class);
        assertThat(frame.messageId()).isEqualTo(message.messageId());
        assertThat(frame.traceId()).isEqualTo("trace-hello");
        assertThat(frame.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(frame.duplicate()).isFalse();

        send(channel, AckFrame.ok(message.messageId()));
        channel.close();
        gateway.core.registry().awaitHandOff("d1").join();
        assertThat(gateway.offline.pending("d1", System.currentTimeMillis(), 10)).isEmpty();
    }

    @Test
    void aBatchIsStoredForEveryRegisteredTargetAndHandedOverInOrder() {
        EmbeddedChannel channel = online("d1");
        gateway.devices.insert(new Device("off-1", "hash", Instant.now(), 0));
        PushMessage first = message(Qos.AT_LEAST_ONCE, "first");
        PushMessage second = message(Qos.AT_MOST_ONCE, "second");
        PushMessage third = message(Qos.AT_LEAST_ONCE, "third");

        List<PushResult> results = gateway.core.pushService().pushAll(List.of(
                new DevicePush(first, List.of("d1", "off-1", "ghost")),
                new DevicePush(second, List.of("d1", "off-1")),
                new DevicePush(third, List.of("d1")))).stream().map(CompletableFuture::join).toList();

        assertThat(results).containsExactly(
                new PushResult(first.messageId(), 1, 1, 1).withUnknown(List.of("ghost")),
                new PushResult(second.messageId(), 1, 0, 1),
                new PushResult(third.messageId(), 1, 0, 0).withUnknown(List.of()));
        List<MessageFrame> delivered = messagesAfterAuth(channel, 3);
        assertThat(delivered).extracting(MessageFrame::messageId)
                .containsExactlyInAnyOrder(first.messageId(), second.messageId(), third.messageId());
        assertThat(delivered).filteredOn(frame -> frame.qos() == Qos.AT_LEAST_ONCE)
                .extracting(MessageFrame::messageId).as("the batch's order").containsExactly(first.messageId(),
                        third.messageId());
        assertThat(gateway.offline.pending("off-1", System.currentTimeMillis(), 10)).containsExactly(first);
    }

    @Test
    void unackedMessageIsResentAsDuplicateWithBackoff() {
        EmbeddedChannel channel = online("d1");
        PushMessage message = message(Qos.AT_LEAST_ONCE, "again");
        push(message, "d1");
        awaitFrame(channel, MessageFrame.class);

        channel.advanceTimeBy(1_100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        MessageFrame retry = awaitFrame(channel, MessageFrame.class);
        assertThat(retry.messageId()).isEqualTo(message.messageId());
        assertThat(retry.duplicate()).isTrue();

        // the second retry waits twice as long
        channel.advanceTimeBy(1_500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written(channel)).isEmpty();
        channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(awaitFrame(channel, MessageFrame.class).duplicate()).isTrue();
    }

    /** DUPLICATE means "sent to this device before": not on the first delivery of a message stored while offline. */
    @Test
    void aMessageStoredWhileOfflineArrivesTheFirstTimeWithoutDuplicate() {
        gateway.devices.insert(new Device("d5", "hash", Instant.now(), 0));
        PushMessage message = message(Qos.AT_LEAST_ONCE, "waiting");
        assertThat(push(message, "d5").stored()).isEqualTo(1);

        MessageFrame frame = messagesAfterAuth(connectAs("d5"), 1).get(0);

        assertThat(frame.messageId()).isEqualTo(message.messageId());
        assertThat(frame.duplicate()).isFalse();
    }

    @Test
    void aMessageSentOnAnEarlierConnectionAndNotAckedArrivesAsDuplicate() {
        EmbeddedChannel first = online("d6");
        PushMessage sent = message(Qos.AT_LEAST_ONCE, "sent");
        push(sent, "d6");
        awaitFrame(first, MessageFrame.class);
        first.close();
        gateway.core.registry().awaitHandOff("d6").join();
        PushMessage notSent = message(Qos.AT_LEAST_ONCE, "stored-offline");
        push(notSent, "d6");

        List<MessageFrame> replayed = messagesAfterAuth(connectAs("d6"), 2);
        MessageFrame again = replayed.get(0);
        MessageFrame fresh = replayed.get(1);

        assertThat(again.messageId()).isEqualTo(sent.messageId());
        assertThat(again.duplicate()).isTrue();
        assertThat(fresh.messageId()).isEqualTo(notSent.messageId());
        assertThat(fresh.duplicate()).isFalse();
    }

    /** Pushes the message to the channel's device, which answers it with {@code status}; then the retry timer runs. */
    private void answerThenWaitPastTheRetryInterval(EmbeddedChannel channel, PushMessage message, AckStatus status) {
        String clientId = DeviceSession.of(channel).clientId();
        push(message, clientId);
        awaitFrame(channel, MessageFrame.class);
        send(channel, new AckFrame(message.messageId(), status, "answered " + status));
        channel.advanceTimeBy(1_100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void anAckRetryLeavesTheMessageInFlightAndItIsResent() {
        EmbeddedChannel channel = online("d7");
        PushMessage message = message(Qos.AT_LEAST_ONCE, "later");

        answerThenWaitPastTheRetryInterval(channel, message, AckStatus.RETRY);

        MessageFrame again = awaitFrame(channel, MessageFrame.class);
        assertThat(again.messageId()).isEqualTo(message.messageId());
        assertThat(again.duplicate()).isTrue();
        assertThat(gateway.offline.pending("d7", System.currentTimeMillis(), 10)).extracting(PushMessage::messageId)
                .containsExactly(message.messageId());
    }

    @Test
    void anAckRejectedEndsTheDeliveryWithoutResend() {
        EmbeddedChannel channel = online("d8");
        PushMessage message = message(Qos.AT_LEAST_ONCE, "unwanted");

        answerThenWaitPastTheRetryInterval(channel, message, AckStatus.REJECTED);

        assertThat(written(channel)).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                gateway.offline.pending("d8", System.currentTimeMillis(), 10).isEmpty());
    }

    @Test
    void unackedMessagesAreStoredWhenTheConnectionCloses() {
        EmbeddedChannel channel = online("d1");
        PushMessage first = message(Qos.AT_LEAST_ONCE, "one");
        PushMessage second = message(Qos.AT_LEAST_ONCE, "two");
        push(first, "d1");
        push(second, "d1");
        awaitFrame(channel, MessageFrame.class, m -> m.messageId() == second.messageId());
        send(channel, AckFrame.ok(first.messageId()));

        channel.close();
        gateway.core.registry().awaitHandOff("d1").join();

        assertThat(gateway.offline.pending("d1", System.currentTimeMillis(), 10))
                .extracting(PushMessage::messageId).containsExactly(second.messageId());
    }

    @Test
    void storedMessagesAreDeliveredInOrderOnConnectThenLiveOnes() {
        gateway.devices.insert(new Device("d2", "hash", Instant.now(), 0));
        List<PushMessage> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PushMessage message = message(Qos.AT_LEAST_ONCE, "stored-" + i);
            stored.add(message);
            assertThat(push(message, "d2").stored()).isEqualTo(1);
        }

        EmbeddedChannel channel = online("d2");
        List<Long> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (Frame frame : written(channel)) {
                if (frame instanceof MessageFrame m) {
                    received.add(m.messageId());
                    send(channel, AckFrame.ok(m.messageId()));
                }
            }
            return received.size() == 5;
        });
        assertThat(received).containsExactlyElementsOf(stored.stream().map(PushMessage::messageId).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            channel.runPendingTasks();
            return gateway.offline.pending("d2", System.currentTimeMillis(), 10).isEmpty();
        });

        PushMessage live = message(Qos.AT_LEAST_ONCE, "live");
        assertThat(push(live, "d2").online()).isEqualTo(1);
        assertThat(awaitFrame(channel, MessageFrame.class).messageId()).isEqualTo(live.messageId());
    }

    @Test
    void messageReachingAClosedSessionIsStoredAndDeliveredToTheNewerOne() {
        EmbeddedChannel old = online("mover");
        io.herald.gateway.delivery.DownstreamQueue oldQueue =
                io.herald.gateway.session.DeviceSession.of(old).downstream();
        old.close();
        gateway.core.registry().awaitHandOff("mover").join();
        EmbeddedChannel current = online("mover");
        PushMessage late = message(Qos.AT_LEAST_ONCE, "late");

        // a push that looked the old channel up just before it closed runs on the closed queue
        oldQueue.offer(late);

        MessageFrame frame = awaitFrame(current, MessageFrame.class);
        assertThat(frame.messageId()).isEqualTo(late.messageId());
    }

    @Test
    void offlineTargetsAreStoredForQos1AndDroppedForQos0AndUnknownIds() {
        gateway.devices.insert(new Device("known", "hash", Instant.now(), 0));

        PushResult qos1 = push(message(Qos.AT_LEAST_ONCE, "x"), "known", "unknown");
        PushResult qos0 = push(message(Qos.AT_MOST_ONCE, "y"), "known");

        assertThat(qos1.stored()).isEqualTo(1);
        assertThat(qos1.dropped()).isEqualTo(1);
        assertThat(qos1.unknown()).containsExactly("unknown");
        assertThat(qos1.unknownCount()).isEqualTo(1);
        assertThat(qos0.stored()).isZero();
        assertThat(qos0.dropped()).isEqualTo(1);
        assertThat(qos0.unknown()).as("QoS 0 looks nothing up").isNull();
        assertThat(gateway.offline.countPending("known", System.currentTimeMillis())).isEqualTo(1);
        assertThat(gateway.offline.countPending("unknown", System.currentTimeMillis())).isZero();
    }

    @Test
    void theFirstHundredUnknownIdsAreNamedAndAllCounted() {
        gateway.devices.insert(new Device("known-2", "hash", Instant.now(), 0));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add("nobody-" + i);
        }
        ids.add(75, "known-2");

        PushResult result = push(message(Qos.AT_LEAST_ONCE, "z"), ids.toArray(String[]::new));

        assertThat(result.stored()).isEqualTo(1);
        assertThat(result.dropped()).isEqualTo(150);
        assertThat(result.unknownCount()).isEqualTo(150);
        assertThat(result.unknown()).hasSize(PushResult.MAX_LISTED_UNKNOWN).startsWith("nobody-0", "nobody-1")
                .endsWith("nobody-99").doesNotContain("known-2");
    }

    @Test
    void inflightWindowHoldsBackMessagesUntilAcked() {
        GatewaySettings narrow = gateway.settings.withLimits(65_536, 2, 100, 5);
        try (EmbeddedGateway small = new EmbeddedGateway(narrow)) {
            small.devices.insert(new Device("d3", "hash", Instant.now(), 0));
            EmbeddedChannel channel = small.connect();
            send(channel, new AuthFrame(small.tokenFor("d3")));
            awaitFrame(channel, AuthOkFrame.class);
            List<PushMessage> messages = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                PushMessage m = message(Qos.AT_LEAST_ONCE, "w" + i);
                messages.add(m);
                small.core.pushService().push(m, PushTargets.devices(List.of("d3"))).join();
            }
            List<MessageFrame> first = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                written(channel).forEach(f -> first.add((MessageFrame) f));
                return first.size() >= 2;
            });
            assertThat(written(channel)).isEmpty();
            assertThat(first).hasSize(2);

            send(channel, AckFrame.ok(first.get(0).messageId()));
            assertThat(awaitFrame(channel, MessageFrame.class).messageId()).isEqualTo(messages.get(2).messageId());
        }
    }

    @Test
    void secondConnectionTakesOverAndTheFirstIsToldWhy() {
        EmbeddedChannel first = online("same");
        EmbeddedChannel second = online("same");

        NoticeFrame notice = awaitFrame(first, NoticeFrame.class);
        assertThat(notice.kind()).isEqualTo(NoticeKind.KICKED);
        assertThat(notice.reason()).contains("taken over");
        assertThat(first.isActive()).isFalse();
        assertThat(second.isActive()).isTrue();
        assertThat(gateway.core.sessions().find("same")).get()
                .satisfies(info -> assertThat(info.sessionId()).isNotNull());
        assertThat(gateway.core.registry().find("same")).isSameAs(second);
    }

    @Test
    void broadcastReachesEveryConnectedDevice() {
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            channels.add(online("b" + i));
        }
        PushMessage message = message(Qos.AT_MOST_ONCE, "all");

        PushResult result = gateway.core.pushService().push(message, PushTargets.broadcast()).join();

        assertThat(result.online()).isEqualTo(10);
        for (EmbeddedChannel channel : channels) {
            assertThat(awaitFrame(channel, MessageFrame.class).messageId()).isEqualTo(message.messageId());
        }
    }

    @Test
    void operatorKickSendsNoticeAndCloses() {
        EmbeddedChannel channel = online("k");

        assertThat(gateway.core.sessions().kick("k", "maintenance")).isTrue();

        assertThat(awaitFrame(channel, NoticeFrame.class).reason()).isEqualTo("maintenance");
        assertThat(channel.isActive()).isFalse();
        assertThat(gateway.core.sessions().kick("k", "again")).isFalse();
    }
}
