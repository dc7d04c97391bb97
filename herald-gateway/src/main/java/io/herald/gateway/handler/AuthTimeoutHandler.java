package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.ErrorCode;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection with AUTH_TIMEOUT when it has not authenticated within the configured time. The timer is
 * cancelled when this stage leaves the pipeline (at AUTH_OK), so that an authenticated connection does not keep it,
 * with this stage's context, for the rest of the timeout: in a connect storm that is most connections.
 */
@Sharable
public final class AuthTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private final Disconnector disconnector;

    public AuthTimeoutHandler(Duration timeout, Disconnector disconnector) {
        this.timeout = timeout;
        this.disconnector = disconnector;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        var timer = ctx.executor().schedule(() -> {
            DeviceSession session = DeviceSession.of(ctx.channel());
            if (ctx.channel().isActive() && (session == null || !session.isAuthenticated())) {
                disconnector.protocolError(ctx.channel(), ErrorCode.AUTH_TIMEOUT,
                        "no valid AUTH within " + timeout.toMillis() + " ms");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (session != null) {
            session.authTimer(timer);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (session != null) {
            session.authTimer(null);
        }
    }
}
