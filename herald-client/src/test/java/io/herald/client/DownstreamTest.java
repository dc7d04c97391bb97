package io.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.support.ClientTestSupport;
import io.herald.client.support.RecordingListener;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DownstreamTest extends ClientTestSupport {

    @Test
    void qos1MessageIsDeliveredOnceAndAcknowledged() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        gateway.session().send(push(42, "hello"));

        await().atMost(TIMEOUT).until(() -> gateway.acksFor(42).size() == 1);
        assertThat(gateway.acksFor(42).get(0).status()).isEqualTo(AckStatus.OK);
        assertThat(listener.messages).singleElement().satisfies(message -> {
            assertThat(message.messageId()).isEqualTo(42);
            assertThat(message.contentType()).isEqualTo(ContentType.TEXT);
            assertThat(message.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            assertThat(message.payloadAsString()).isEqualTo("hello");
            assertThat(message.traceId()).isEqualTo("trace-42");
            assertThat(message.timestamp()).isEqualTo(1_700_000_000_042L);
            assertThat(message.redelivery()).isFalse();
        });
    }

    @Test
    void redeliveryIsAcknowledgedButNotDeliveredAgain() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        gateway.session().send(push(7, "once"));
        gateway.session().send(push(7, "once").asDuplicate());
        gateway.session().send(push(8, "next"));

        await().atMost(TIMEOUT).until(() -> gateway.acksFor(7).size() == 2 && gateway.acksFor(8).size() == 1);
        assertThat(listener.payloads()).containsExactly("once", "next");
    }

    @Test
    void redeliveryAfterReconnectIsNotDeliveredAgain() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);
        gateway.session().send(push(9, "before the drop"));
        await().atMost(TIMEOUT).until(() -> gateway.acksFor(9).size() == 1);

        gateway.dropConnections();
        await().atMost(TIMEOUT).until(() -> listener.connected.size() == 2);
        gateway.session().send(push(9, "before the drop").asDuplicate());

        await().atMost(TIMEOUT).until(() -> gateway.acksFor(9).size() == 2);
        assertThat(listener.payloads()).containsExactly("before the drop");
    }

    @Test
    void firstSightOfAMessageMarkedDuplicateIsDeliveredAsRedelivery() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        gateway.session().send(push(11, "from before a restart").asDuplicate());

        await().atMost(TIMEOUT).until(() -> gateway.acksFor(11).size() == 1);
        assertThat(listener.messages).singleElement()
                .satisfies(message -> assertThat(message.redelivery()).isTrue());
    }

    @Test
    void qos0MessageIsDeliveredWithoutAck() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);
        MessageFrame qos0 = new MessageFrame(1, ContentType.BINARY, Qos.AT_MOST_ONCE, false, null, 5,
                new byte[] {1, 2, 3});

        gateway.session().send(qos0, push(2, "qos1 marker"));

        // ACKs go out in order, so once the marker's ACK is in, an ACK for the QoS 0 message would be too.
        await().atMost(TIMEOUT).until(() -> gateway.acksFor(2).size() == 1);
        assertThat(gateway.acksFor(1)).isEmpty();
        assertThat(listener.messages).hasSize(2);
        assertThat(listener.messages.get(0).payload()).containsExactly(1, 2, 3);
        assertThat(listener.messages.get(0).traceId()).isNull();
    }

    @Test
    void messageIsAcknowledgedEvenWhenTheListenerThrows() throws Exception {
        RecordingListener listener = new RecordingListener() {
            @Override
            public void onMessage(ReceivedMessage message) {
                super.onMessage(message);
                throw new IllegalStateException("application bug");
            }
        };
        startedClient("device-1", listener);

        gateway.session().send(push(5, "poison"));
        gateway.session().send(push(5, "poison").asDuplicate());

        await().atMost(TIMEOUT).until(() -> gateway.acksFor(5).size() == 2);
        assertThat(listener.messages).hasSize(1);
        assertThat(listener.errors).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(gateway.session().isOpen()).isTrue();
    }

    @Test
    void burstOfMessagesIsDeliveredInOrder() throws Exception {
        RecordingListener listener = new RecordingListener();
        startedClient("device-1", listener);

        Object[] burst = new Object[500];
        for (int i = 0; i < burst.length; i++) {
            burst[i] = push(1000 + i, "m" + i);
        }
        gateway.session().send(burst);

        await().atMost(TIMEOUT).until(() -> gateway.acks.size() == burst.length);
        assertThat(listener.messages).hasSize(burst.length);
        for (int i = 0; i < burst.length; i++) {
            assertThat(listener.messages.get(i).messageId()).isEqualTo(1000 + i);
        }
        assertThat(new String(listener.messages.get(499).payload(), StandardCharsets.UTF_8)).isEqualTo("m499");
    }
}
