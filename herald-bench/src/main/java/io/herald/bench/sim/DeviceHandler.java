package io.herald.bench.sim;

import io.herald.bench.measure.BenchClock;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.frame.PingFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The device side of one session, kept as lean as a real constrained device: AUTH on connect, PING at the
 * interval AUTH_OK announces, ACK every QoS 1 MESSAGE at once, and report events. One instance per connection.
 */
final class DeviceHandler extends SimpleChannelInboundHandler<Object> {
    private final SimulatedDevice device;
    private final String token;
    private final DeviceEvents events;
    private final CompletableFuture<Void> authenticated;
    /** WebSocket: AUTH waits for the upgrade's answer; TCP (TLS or not) sends it at once. */
    private final boolean authAfterUpgrade;
    private ScheduledFuture<?> heartbeat;

    DeviceHandler(SimulatedDevice device, String token, DeviceEvents events, CompletableFuture<Void> authenticated,
                  boolean authAfterUpgrade) {
        this.device = device;
        this.authAfterUpgrade = authAfterUpgrade;
        this.token = token;
        this.events = events;
        this.authenticated = authenticated;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!authAfterUpgrade) {
            ctx.writeAndFlush(new AuthFrame(token), ctx.voidPromise());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (authAfterUpgrade && event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.writeAndFlush(new AuthFrame(token), ctx.voidPromise());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MessageFrame message) {
            long now = BenchClock.epochMicros();
            if (message.qos() == Qos.AT_LEAST_ONCE) {
                ctx.writeAndFlush(AckFrame.ok(message.messageId()), ctx.voidPromise());
            }
            events.message(device, message, now);
        } else if (msg instanceof AckFrame ack) {
            events.ack(device, ack, System.nanoTime());
        } else if (msg instanceof AuthOkFrame ok) {
            startHeartbeat(ctx, ok.heartbeatMillis());
            device.online(ctx.channel());
            events.authenticated(device);
            authenticated.complete(null);
        } else if (msg instanceof AuthFailFrame fail) {
            authenticated.completeExceptionally(new LoginNeededException("AUTH_FAIL " + fail.code() + ": "
                    + fail.reason()));
            ctx.close();
        } else if (msg instanceof ErrorFrame error) {
            String text = "ERROR " + error.code() + ": " + error.reason();
            authenticated.completeExceptionally(error.code() == ErrorCode.GATEWAY_FULL
                    ? new LoginNeededException(text) : new IllegalStateException(text));
            ctx.close();
        } else if (msg instanceof DecodeFailure failure) {
            authenticated.completeExceptionally(new IllegalStateException("undecodable frame: " + failure.reason()));
            ctx.close();
        } else if (msg instanceof NoticeFrame notice && notice.kind() == NoticeKind.RECONNECT) {
            // A draining gateway spreads its devices' return over its drain window: wait as the SDK does.
            device.askedToWait(notice.delayMillis());
        }
        // PONG and NOTICE need no answer: the server closes after a NOTICE, which channelInactive handles.
    }

    private void startHeartbeat(ChannelHandlerContext ctx, long intervalMillis) {
        if (intervalMillis > 0) {
            heartbeat = ctx.executor().scheduleAtFixedRate(
                    () -> ctx.writeAndFlush(PingFrame.INSTANCE, ctx.voidPromise()),
                    intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        authenticated.completeExceptionally(new ClosedChannelException());
        if (device.offline(ctx.channel())) {
            events.disconnected(device);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection resets are expected when the server restarts; the close path reports the device offline.
        ctx.close();
    }
}
