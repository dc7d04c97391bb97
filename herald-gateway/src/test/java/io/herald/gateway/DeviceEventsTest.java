package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.Event;
import io.herald.core.event.EventType;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushTargets;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The events a gateway tells about sessions and QoS 1 ACKs, and the reason each disconnect names. */
class DeviceEventsTest {
    private final EmbeddedGateway gateway = new EmbeddedGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void aSessionIsConnectedThenDisconnectedWhenTheDeviceCloses() {
        EmbeddedChannel channel = gateway.online("e-1");

        Event connected = only(EventType.DEVICE_CONNECTED, "e-1");
        assertThat(connected.nodeId()).isEqualTo("gw-test");
        assertThat(connected.details()).containsEntry("transport", "tcp").containsKey("remoteAddress");
        String sessionId = (String) connected.details().get("sessionId");
        channel.close();

        Event disconnected = only(EventType.DEVICE_DISCONNECTED, "e-1");
        assertThat(disconnected.details()).containsEntry("sessionId", sessionId)
                .containsEntry("reason", "client_closed");
        assertThat((Long) disconnected.details().get("sessionDurationMs")).isNotNegative();
        assertThat(gateway.events.indexOf(connected)).isLessThan(gateway.events.indexOf(disconnected));
    }

    @Test
    void aTakenOverSessionIsDisconnectedAsTakeover() {
        EmbeddedChannel first = gateway.online("e-2");
        gateway.online("e-2");

        awaitFrame(first, NoticeFrame.class);
        first.runPendingTasks();
        assertThat(only(EventType.DEVICE_DISCONNECTED, "e-2").details()).containsEntry("reason", "takeover");
        assertThat(of(EventType.DEVICE_CONNECTED, "e-2")).hasSize(2);
    }

    @Test
    void aKickAndAProtocolErrorNameTheirReasons() {
        EmbeddedChannel kicked = gateway.online("e-3");
        EmbeddedChannel broken = gateway.online("e-4");

        gateway.core.sessions().kick("e-3", "kicked by operator");
        kicked.runPendingTasks();
        send(broken, new AuthFrame("again"));
        awaitFrame(broken, ErrorFrame.class, error -> error.code() == ErrorCode.ALREADY_AUTHENTICATED);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            kicked.runPendingTasks();
            broken.runPendingTasks();
            assertThat(only(EventType.DEVICE_DISCONNECTED, "e-3").details()).containsEntry("reason", "kicked");
            assertThat(only(EventType.DEVICE_DISCONNECTED, "e-4").details())
                    .containsEntry("reason", "protocol_error");
        });
    }

    @Test
    void anAckedQos1MessageIsTold() {
        EmbeddedChannel channel = gateway.online("e-5");
        long now = System.currentTimeMillis();
        PushMessage message = new PushMessage(77, ContentType.TEXT, Qos.AT_LEAST_ONCE,
                "open".getBytes(StandardCharsets.UTF_8), null, now, now + 60_000);
        gateway.core.pushService().push(message, PushTargets.devices(List.of("e-5"))).join();
        awaitFrame(channel, MessageFrame.class);

        send(channel, AckFrame.ok(77));

        assertThat(only(EventType.MESSAGE_ACKED, "e-5").details()).containsEntry("messageId", "77")
                .containsEntry("status", "ok");
        send(channel, AckFrame.ok(77)); // a late duplicate ACK tells nothing more
        assertThat(of(EventType.MESSAGE_ACKED, "e-5")).hasSize(1);
    }

    @Test
    void aRejectedQos1MessageIsToldAsAckedWithItsStatus() {
        EmbeddedChannel channel = gateway.online("e-6");
        long now = System.currentTimeMillis();
        PushMessage message = new PushMessage(78, ContentType.TEXT, Qos.AT_LEAST_ONCE,
                "never".getBytes(StandardCharsets.UTF_8), null, now, now + 60_000);
        gateway.core.pushService().push(message, PushTargets.devices(List.of("e-6"))).join();
        awaitFrame(channel, MessageFrame.class);

        send(channel, new AckFrame(78, AckStatus.REJECTED, "unknown command"));

        assertThat(only(EventType.MESSAGE_ACKED, "e-6").details()).containsEntry("messageId", "78")
                .containsEntry("status", "rejected");
    }

    private List<Event> of(EventType type, String clientId) {
        return gateway.events.stream().filter(event -> event.type() == type && event.clientId().equals(clientId))
                .toList();
    }

    private Event only(EventType type, String clientId) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !of(type, clientId).isEmpty());
        assertThat(of(type, clientId)).hasSize(1);
        return of(type, clientId).get(0);
    }
}
