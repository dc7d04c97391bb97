package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.send;
import static io.herald.gateway.EmbeddedGateway.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.gateway.handler.IdleSweep;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an authenticated connection keeps (each pipeline stage is a handler context per connection, which counts at
 * tens of thousands of connections), and the idle sweep that replaced the timer per connection: a silent connection
 * is closed with ERROR IDLE_TIMEOUT no earlier than the idle timeout and within one sweep period after it.
 */
class DevicePipelineTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private static final Duration IDLE_TIMEOUT = HEARTBEAT.multipliedBy(2);

    private final EmbeddedGateway gateway = new EmbeddedGateway(GatewaySettings.defaults("gw-pipeline")
            .withTimings(Duration.ofSeconds(2), HEARTBEAT, Duration.ofSeconds(1)));

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void anAuthenticatedConnectionKeepsOnlyTheDecoderAndTheDeviceStage() {
        EmbeddedChannel fresh = gateway.connect();
        assertThat(stages(fresh)).contains(HandlerNames.AUTH_TIMEOUT, HandlerNames.AUTH, HandlerNames.EXCEPTION);

        EmbeddedChannel online = gateway.online("lean");

        assertThat(stages(online)).containsExactly(HandlerNames.FRAME_DECODER, HandlerNames.DEVICE);
    }

    @Test
    void aSilentConnectionIsClosedWithIdleTimeoutWithinOneSweepPeriodAfterTheTimeout() {
        EmbeddedChannel channel = gateway.online("silent");
        written(channel);

        // the embedded loop's clock also runs in real time: half a second of slack for the test's own pace
        channel.advanceTimeBy(IDLE_TIMEOUT.toMillis() - 500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written(channel)).isEmpty();
        assertThat(channel.isActive()).isTrue();

        channel.advanceTimeBy(500 + IdleSweep.period(IDLE_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        List<Frame> last = written(channel);
        assertThat(last).singleElement().isInstanceOf(ErrorFrame.class);
        assertThat(((ErrorFrame) last.get(0)).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aDeviceThatPingsWithinTheTimeoutStaysConnected() {
        EmbeddedChannel channel = gateway.online("pinging");
        written(channel);

        for (int i = 0; i < 4; i++) { // four heartbeats: twice the idle timeout in all
            channel.advanceTimeBy(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            send(channel, PingFrame.INSTANCE);
            assertThat(written(channel)).containsExactly(PongFrame.INSTANCE);
        }

        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsSweptToo() {
        EmbeddedGateway patient = new EmbeddedGateway(GatewaySettings.defaults("gw-patient")
                .withTimings(Duration.ofMinutes(10), HEARTBEAT, Duration.ofSeconds(1)));
        try {
            EmbeddedChannel channel = patient.connect();

            channel.advanceTimeBy(IDLE_TIMEOUT.plus(IdleSweep.period(IDLE_TIMEOUT)).toMillis(), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();

            List<Frame> last = written(channel);
            assertThat(last).singleElement().isInstanceOf(ErrorFrame.class);
            assertThat(((ErrorFrame) last.get(0)).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
        } finally {
            patient.close();
        }
    }

    private static List<String> stages(EmbeddedChannel channel) {
        return channel.pipeline().names().stream().filter(name -> !name.startsWith("DefaultChannelPipeline")).toList();
    }
}
