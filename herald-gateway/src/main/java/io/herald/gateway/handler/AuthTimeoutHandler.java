package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.ErrorCode;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Closes a connection with AUTH_TIMEOUT when it has not authenticated within the configured time. */
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
        ctx.executor().schedule(() -> {
            DeviceSession session = DeviceSession.of(ctx.channel());
            if (ctx.channel().isActive() && (session == null || !session.isAuthenticated())) {
                disconnector.protocolError(ctx.channel(), ErrorCode.AUTH_TIMEOUT,
                        "no valid AUTH within " + timeout.toMillis() + " ms");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }
}
