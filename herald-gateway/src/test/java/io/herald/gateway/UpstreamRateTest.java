package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static io.herald.gateway.EmbeddedGateway.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.message.UpstreamMessage;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.FrameHandler;
import io.herald.gateway.handler.UpstreamRateHandler;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.limit.UpstreamRate;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream rate limit in the real device pipeline; time moves with {@code EmbeddedChannel.advanceTimeBy}. */
class UpstreamRateTest {
    private EmbeddedGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private EmbeddedChannel online(UpstreamRate rate) {
        gateway = new EmbeddedGateway(GatewaySettings.defaults("gw-test")
                .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(1))
                .withAbuseLimits(AbuseLimits.DEFAULTS.withUpstreamRate(rate)));
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor("dev-r")));
        awaitFrame(channel, AuthOkFrame.class);
        return channel;
    }

    private static MessageFrame up(long id, Qos qos, int payloadBytes) {
        return new MessageFrame(id, ContentType.BINARY, qos, false, null, 0, new byte[payloadBytes]);
    }

    /** Acks until {@code count} have arrived, in arrival order. */
    private static List<AckFrame> acks(EmbeddedChannel channel, int count) {
        List<AckFrame> acks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (Frame frame : written(channel)) {
                if (frame instanceof AckFrame ack) {
                    acks.add(ack);
                }
            }
            return acks.size() >= count;
        });
        return acks;
    }

    private static AckStatus statusOf(List<AckFrame> acks, long id) {
        return acks.stream().filter(a -> a.messageId() == id).findFirst().orElseThrow().status();
    }

    private double limited(String limit, String action) {
        return gateway.meters.get("herald.limited").tag("limit", limit).tag("action", action).counter().count();
    }

    @Test
    void aMessageOverTheBurstIsAnsweredWithAckRetryAndNotHandled() {
        EmbeddedChannel channel = online(new UpstreamRate(1, 2, 0, 0, 0));

        send(channel, up(1, Qos.AT_LEAST_ONCE, 10), up(2, Qos.AT_LEAST_ONCE, 10), up(3, Qos.AT_LEAST_ONCE, 10));

        List<AckFrame> acks = acks(channel, 3);
        assertThat(statusOf(acks, 1)).isEqualTo(AckStatus.OK);
        assertThat(statusOf(acks, 2)).isEqualTo(AckStatus.OK);
        assertThat(statusOf(acks, 3)).isEqualTo(AckStatus.RETRY);
        assertThat(acks.stream().filter(a -> a.messageId() == 3).findFirst().orElseThrow().reason())
                .contains("rate limited", "1 messages/s");
        assertThat(gateway.archive.all()).extracting(UpstreamMessage::messageId).containsExactlyInAnyOrder(1L, 2L);
        assertThat(channel.isActive()).isTrue();
        assertThat(limited("upstream_rate", "refused")).isEqualTo(1);
    }

    @Test
    void theAllowanceComesBackWithTime() {
        EmbeddedChannel channel = online(new UpstreamRate(1, 1, 0, 0, 0));
        send(channel, up(1, Qos.AT_LEAST_ONCE, 10), up(2, Qos.AT_LEAST_ONCE, 10));
        assertThat(statusOf(acks(channel, 2), 2)).isEqualTo(AckStatus.RETRY);

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        send(channel, up(2, Qos.AT_LEAST_ONCE, 10).asDuplicate());

        assertThat(acks(channel, 1)).singleElement().satisfies(ack -> {
            assertThat(ack.messageId()).isEqualTo(2);
            assertThat(ack.status()).isEqualTo(AckStatus.OK);
        });
        assertThat(gateway.archive.all()).extracting(UpstreamMessage::messageId).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void aQos0MessageOverTheLimitIsDroppedWithoutAnswer() {
        EmbeddedChannel channel = online(new UpstreamRate(1, 1, 0, 0, 0));

        send(channel, up(1, Qos.AT_MOST_ONCE, 10), up(2, Qos.AT_MOST_ONCE, 10), up(3, Qos.AT_LEAST_ONCE, 10));

        assertThat(acks(channel, 1)).singleElement().satisfies(ack -> {
            assertThat(ack.messageId()).isEqualTo(3);
            assertThat(ack.status()).isEqualTo(AckStatus.RETRY);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.archive.all().size() == 1);
        assertThat(gateway.archive.all()).extracting(UpstreamMessage::messageId).containsExactly(1L);
        assertThat(limited("upstream_rate", "refused")).isEqualTo(2);
    }

    @Test
    void bytesOverTheByteRateAreRefused() {
        EmbeddedChannel channel = online(new UpstreamRate(0, 0, 1_000, 1_000, 0));

        send(channel, up(1, Qos.AT_LEAST_ONCE, 900), up(2, Qos.AT_LEAST_ONCE, 900));

        List<AckFrame> acks = acks(channel, 2);
        assertThat(statusOf(acks, 1)).isEqualTo(AckStatus.OK);
        assertThat(statusOf(acks, 2)).isEqualTo(AckStatus.RETRY);
        assertThat(acks.stream().filter(a -> a.messageId() == 2).findFirst().orElseThrow().reason())
                .contains("1000 bytes/s");
    }

    @Test
    void aConnectionThatKeepsSendingOverTheLimitIsClosedWithRateLimited() {
        EmbeddedChannel channel = online(new UpstreamRate(1, 1, 0, 0, 3));

        for (int id = 1; id <= 5; id++) {
            send(channel, up(id, Qos.AT_MOST_ONCE, 1));
        }

        ErrorFrame error = awaitFrame(channel, ErrorFrame.class);
        assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(error.reason()).contains("more than 3 messages refused within 10 s");
        assertThat(channel.isActive()).isFalse();
        assertThat(limited("upstream_rate", "refused")).isEqualTo(3);
        assertThat(limited("upstream_rate", "closed")).isEqualTo(1);
    }

    @Test
    void pingsAndAcksAreNotCounted() {
        EmbeddedChannel channel = online(new UpstreamRate(1, 1, 0, 0, 0));
        for (int i = 0; i < 5; i++) {
            send(channel, io.herald.protocol.frame.PingFrame.INSTANCE);
        }

        send(channel, up(1, Qos.AT_LEAST_ONCE, 10));

        assertThat(statusOf(acks(channel, 1), 1)).isEqualTo(AckStatus.OK);
    }

    @Test
    void theLimiterIsInFrontOfUpstreamOnlyWhenSomethingIsLimited() {
        FrameHandler<MessageFrame> upstream = (ctx, frame) -> { };
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), new ChannelRegistry(16));
        Disconnector disconnector = new Disconnector(metrics);

        assertThat(UpstreamRateHandler.inFrontOf(upstream, UpstreamRate.DEFAULTS, disconnector, metrics))
                .isInstanceOf(UpstreamRateHandler.class);
        assertThat(UpstreamRateHandler.inFrontOf(upstream, UpstreamRate.OFF, disconnector, metrics))
                .isSameAs(upstream);
    }
}
