package io.herald.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.NoticeKind;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A simulated device keeps the wait a draining gateway's RECONNECT notice asks for, as the SDK does. */
class ReconnectNoticeTest {
    private final SimulatedDevice device = new SimulatedDevice("sim-1", 0);
    private final EmbeddedChannel channel = new EmbeddedChannel(new DeviceHandler(device, "token",
            new DeviceEvents() { }, new CompletableFuture<>(), true));

    @Test
    void aReconnectNoticesDelayIsTakenOnce() {
        channel.writeInbound(new NoticeFrame(NoticeKind.RECONNECT, 1_500, "gateway is shutting down", ""));

        assertThat(device.takeAskedDelayMillis()).isEqualTo(1_500);
        assertThat(device.takeAskedDelayMillis()).as("the next drop starts from none").isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void otherNoticesAskForNoWait() {
        channel.writeInbound(new NoticeFrame(NoticeKind.REDIRECT, 2_000, "moved", "127.0.0.1:7001"));

        assertThat(device.takeAskedDelayMillis()).isZero();
        channel.finishAndReleaseAll();
    }
}
