package io.herald.gateway;

import static io.herald.gateway.EmbeddedGateway.awaitFrame;
import static io.herald.gateway.EmbeddedGateway.send;
import static io.herald.gateway.EmbeddedGateway.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.herald.protocol.codec.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthGateTest {
    private final EmbeddedGateway gateway = new EmbeddedGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void validTokenGetsAuthOkWithTheHeartbeatAndTheTokensClientId() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor("sensor-1")));

        AuthOkFrame ok = awaitFrame(channel, AuthOkFrame.class);
        assertThat(ok.clientId()).isEqualTo("sensor-1");
        assertThat(ok.heartbeatMillis()).isEqualTo(30_000);
        assertThat(channel.isActive()).isTrue();
        assertThat(gateway.core.sessions().find("sensor-1")).isPresent();
    }

    @Test
    void unknownTokenGetsAuthFailAndClose() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame("not-a-token"));

        AuthFailFrame fail = awaitFrame(channel, AuthFailFrame.class);
        assertThat(fail.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void anyFrameBeforeAuthIsRefused() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new MessageFrame(1, ContentType.TEXT, Qos.AT_LEAST_ONCE, false, null, 0, new byte[] {1}));

        assertThat(awaitFrame(channel, ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTH_REQUIRED);
        assertThat(channel.isActive()).isFalse();
        assertThat(gateway.archive.all()).isEmpty();
    }

    @Test
    void secondAuthOnAnAuthenticatedConnectionIsRefused() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor("sensor-1")));
        awaitFrame(channel, AuthOkFrame.class);

        send(channel, new AuthFrame(gateway.tokenFor("sensor-2")));

        assertThat(awaitFrame(channel, ErrorFrame.class).code()).isEqualTo(ErrorCode.ALREADY_AUTHENTICATED);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aSecondAuthWhileTheFirstIsCheckedIsRefused() {
        EmbeddedChannel channel = gateway.connect();
        ByteBuf both = Unpooled.buffer();
        FrameCodec.encode(new AuthFrame(gateway.tokenFor("sensor-1")), both);
        FrameCodec.encode(new AuthFrame(gateway.tokenFor("sensor-1")), both);

        channel.writeInbound(both);

        assertThat(awaitFrame(channel, ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTH_REQUIRED);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void theAuthGateLeavesThePipelineOnceAuthenticated() {
        EmbeddedChannel channel = gateway.connect();
        assertThat(channel.pipeline().names()).contains("auth", "auth-timeout");

        send(channel, new AuthFrame(gateway.tokenFor("sensor-1")));
        awaitFrame(channel, AuthOkFrame.class);

        assertThat(channel.pipeline().names()).doesNotContain("auth", "auth-timeout");
    }

    @Test
    void connectionWithoutAuthIsClosedAfterTheAuthTimeout() {
        EmbeddedChannel channel = gateway.connect();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isTrue();

        channel.advanceTimeBy(1_100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(awaitFrame(channel, ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTH_TIMEOUT);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void garbageBytesGetAnErrorFrameAndClose() {
        EmbeddedChannel channel = gateway.connect();
        channel.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes()));

        ErrorFrame error = awaitFrame(channel, ErrorFrame.class);
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_MAGIC);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void pingIsAnsweredWithPong() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor("sensor-1")));
        awaitFrame(channel, AuthOkFrame.class);

        send(channel, PingFrame.INSTANCE);

        assertThat(written(channel)).containsExactly(PongFrame.INSTANCE);
    }

    @Test
    void silentConnectionIsClosedAfterTwiceTheHeartbeat() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor("sensor-1")));
        awaitFrame(channel, AuthOkFrame.class);

        channel.advanceTimeBy(59, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isActive()).isFalse();
        assertThat(gateway.core.sessions().find("sensor-1")).isEmpty();
    }

    @Test
    void serverOnlyFramesFromADeviceAreUnexpected() {
        EmbeddedChannel channel = gateway.connect();
        send(channel, new AuthFrame(gateway.tokenFor("sensor-1")));
        awaitFrame(channel, AuthOkFrame.class);

        send(channel, PongFrame.INSTANCE);

        assertThat(awaitFrame(channel, ErrorFrame.class).code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        assertThat(channel.isActive()).isFalse();
    }
}
