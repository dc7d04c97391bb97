package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.Device;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushTargets;
import io.herald.protocol.ContentType;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The graceful stop: every device is told to reconnect within the window, and nothing unacked is lost. */
class DrainTest {
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

    @Test
    void everyDeviceIsToldToReconnectAtASpreadOfMomentsWithinTheWindowAndClosed() {
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            channels.add(online("drain-" + i));
        }

        int drained = gateway.core.drainConnections(Duration.ofSeconds(20));

        assertThat(drained).isEqualTo(40);
        Set<Long> delays = new HashSet<>();
        for (EmbeddedChannel channel : channels) {
            channel.runPendingTasks();
            NoticeFrame notice = awaitFrame(channel, NoticeFrame.class);
            assertThat(notice.kind()).isEqualTo(NoticeKind.RECONNECT);
            assertThat(notice.delayMillis()).isBetween(0L, 20_000L);
            delays.add(notice.delayMillis());
            assertThat(channel.isActive()).isFalse();
        }
        // 40 draws from 20,001 values: a handful of collisions at most, never one shared moment.
        assertThat(delays).hasSizeGreaterThan(30);
        assertThat(gateway.core.registry().size()).isZero();
    }

    @Test
    void unackedQos1MessagesAreStoredWhenDrained() {
        EmbeddedChannel channel = online("drain-store");
        long now = System.currentTimeMillis();
        PushMessage message = new PushMessage(77, ContentType.TEXT, Qos.AT_LEAST_ONCE,
                "keep me".getBytes(StandardCharsets.UTF_8), null, now, now + 60_000);
        gateway.core.pushService().push(message, PushTargets.devices(List.of("drain-store"))).join();
        awaitFrame(channel, MessageFrame.class);

        gateway.core.drainConnections(Duration.ZERO);

        assertThat(gateway.offline.pending("drain-store", System.currentTimeMillis(), 10))
                .extracting(PushMessage::messageId).containsExactly(77L);
    }

    @Test
    void aZeroWindowAsksForAnImmediateReconnect() {
        EmbeddedChannel channel = online("drain-now");

        gateway.core.drainConnections(Duration.ZERO);

        channel.runPendingTasks();
        assertThat(awaitFrame(channel, NoticeFrame.class).delayMillis()).isZero();
    }
}
