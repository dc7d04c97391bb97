package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UpstreamTest extends ClientTestSupport {

    @Test
    void sendCompletesWhenTheServerAcknowledges() throws Exception {
        HeraldClient client = startedClient("device-1", new RecordingListener());

        SendResult result = client.sendText("temperature=21.5").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(result.transmissions()).isEqualTo(1);
        assertThat(gateway.upstream).singleElement().satisfies(frame -> {
            assertThat(frame.messageId()).isEqualTo(result.messageId());
            assertThat(frame.contentType()).isEqualTo(ContentType.TEXT);
            assertThat(frame.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            assertThat(frame.duplicate()).isFalse();
            assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("temperature=21.5");
        });
        assertThat(client.unackedMessages()).isZero();
    }

    @Test
    void sendCarriesContentTypeAndTraceId() throws Exception {
        HeraldClient client = startedClient("device-1", new RecordingListener());

        client.send(ContentType.JSON, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "req-17")
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(gateway.upstream).singleElement().satisfies(frame -> {
            assertThat(frame.contentType()).isEqualTo(ContentType.JSON);
            assertThat(frame.traceId()).isEqualTo("req-17");
        });
    }

    @Test
    void sendFailsWhenTheServerRejects() throws Exception {
        gateway.ackPolicy(message -> AckStatus.REJECTED);
        HeraldClient client = startedClient("device-1", new RecordingListener());

        CompletableFuture<SendResult> sent = client.sendText("no handler for this");

        assertThatThrownBy(() -> sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.messageId()).isEqualTo(gateway.upstream.peek().messageId());
                    assertThat(e.reason()).isEqualTo("policy says REJECTED");
                });
        assertThat(client.unackedMessages()).isZero();
        await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> gateway.upstream.size() == 1);
    }

    @Test
    void retryAnswerMakesTheClientResendLaterAsDuplicate() throws Exception {
        Set<Long> retried = ConcurrentHashMap.newKeySet();
        gateway.ackPolicy(message -> retried.add(message.messageId()) ? AckStatus.RETRY : AckStatus.OK);
        HeraldClient client = startedClient("device-1", new RecordingListener());

        SendResult result = client.sendText("busy server").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(result.transmissions()).isEqualTo(2);
        List<MessageFrame> transmissions = gateway.upstreamWithId(result.messageId());
        assertThat(transmissions).extracting(MessageFrame::duplicate).containsExactly(false, true);
    }

    @Test
    void unackedMessagesAreResentAfterTheServerDropsTheConnection() throws Exception {
        gateway.ackPolicy(message -> null);
        RecordingListener listener = new RecordingListener();
        HeraldClient client = startedClient("device-1", listener);
        CompletableFuture<SendResult> first = client.sendText("first");
        CompletableFuture<SendResult> second = client.sendText("second");
        await().atMost(TIMEOUT).until(() -> gateway.upstream.size() == 2);

        gateway.ackPolicy(message -> AckStatus.OK);
        gateway.dropConnections();

        SendResult firstResult = first.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        SendResult secondResult = second.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(firstResult.transmissions()).isEqualTo(2);
        assertThat(gateway.upstreamWithId(firstResult.messageId()))
                .extracting(MessageFrame::duplicate).containsExactly(false, true);
        assertThat(gateway.upstreamWithId(secondResult.messageId()))
                .extracting(MessageFrame::duplicate).containsExactly(false, true);
        assertThat(listener.connected).hasSize(2);
        assertThat(listener.disconnected).singleElement().isInstanceOf(ConnectionLostException.class);
    }

    @Test
    void messageWithoutAckIsResentAfterTheAckTimeout() throws Exception {
        Set<Long> ignored = ConcurrentHashMap.newKeySet();
        gateway.ackPolicy(message -> ignored.add(message.messageId()) ? null : AckStatus.OK);
        HeraldClient client = client(options("device-1").ackTimeout(Duration.ofMillis(200)).build(),
                new RecordingListener());
        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        SendResult result = client.sendText("lost ack").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(result.transmissions()).isEqualTo(2);
        assertThat(gateway.upstreamWithId(result.messageId()))
                .extracting(MessageFrame::duplicate).containsExactly(false, true);
        assertThat(gateway.authCount()).isEqualTo(1);
    }

    @Test
    void messagesSentBeforeStartGoOutOnceConnected() throws Exception {
        HeraldClient client = client(options("device-1").build(), new RecordingListener());
        CompletableFuture<SendResult> early = client.sendText("queued before start");

        client.start().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(early.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).transmissions()).isEqualTo(1);
        assertThat(gateway.upstream).singleElement().satisfies(frame -> assertThat(frame.duplicate()).isFalse());
    }

    @Test
    void sendFailsFastBeyondMaxUnackedMessages() {
        HeraldClient client = client(options("device-1").maxUnackedMessages(2).build(), new RecordingListener());

        CompletableFuture<SendResult> first = client.sendText("1");
        CompletableFuture<SendResult> second = client.sendText("2");
        CompletableFuture<SendResult> third = client.sendText("3");

        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(third).isCompletedExceptionally();
        assertThatThrownBy(third::join).cause().isInstanceOf(TooManyUnackedMessagesException.class);
        assertThat(client.unackedMessages()).isEqualTo(2);
    }

    @Test
    void closeFailsPendingSends() throws Exception {
        gateway.ackPolicy(message -> null);
        HeraldClient client = startedClient("device-1", new RecordingListener());
        CompletableFuture<SendResult> pending = client.sendText("never acked");
        await().atMost(TIMEOUT).until(() -> gateway.upstream.size() == 1);

        client.close();

        assertThatThrownBy(() -> pending.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOf(ClientClosedException.class);
        assertThat(client.unackedMessages()).isZero();
    }

    @Test
    void badArgumentsAreRefusedAtOnce() throws Exception {
        HeraldClient client = client(options("device-1").maxFrameBodyLength(1024).build(), new RecordingListener());

        assertThatThrownBy(() -> client.send(ContentType.BINARY, new byte[1024]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameBodyLength 1024");
        assertThatThrownBy(() -> client.send(ContentType.TEXT, new byte[1], "has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceId");
        assertThat(client.send(ContentType.BINARY, new byte[1024 - 17])).isNotDone();
    }

    @Test
    void messageIdsAreUniqueAndIncreasing() throws Exception {
        HeraldClient client = startedClient("device-1", new RecordingListener());
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(client.sendText("n" + i));
        }

        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        List<Long> ids = sends.stream().map(f -> f.join().messageId()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(gateway.upstream).extracting(MessageFrame::messageId).containsExactlyElementsOf(ids);
    }

    @Test
    void aBacklogLargerThanTheSocketBuffersIsWrittenAsTheChannelDrains() throws Exception {
        HeraldClient client = startedClient("device-1", new RecordingListener());
        gateway.session().pauseReading();
        byte[] payload = new byte[32 * 1024];
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            payload[0] = (byte) i;
            sends.add(client.send(ContentType.BINARY, payload));
        }

        gateway.session().resumeReading();

        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<Long> ids = sends.stream().map(f -> f.join().messageId()).toList();
        assertThat(gateway.upstream).extracting(MessageFrame::messageId).containsExactlyElementsOf(ids);
        assertThat(sends).allSatisfy(f -> assertThat(f.join().transmissions()).isEqualTo(1));
    }
}
