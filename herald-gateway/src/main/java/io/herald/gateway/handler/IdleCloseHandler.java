package io.herald.gateway.handler;

import io.herald.protocol.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that sent nothing (not even PING) for the idle timeout. Extends Netty's idle detector
 * rather than listening for its events in a second handler: one pipeline stage less per connection. Holds a
 * timer per channel, so one instance per channel. The device gets ERROR IDLE_TIMEOUT first, so that it can tell
 * this close from a network failure.
 */
public final class IdleCloseHandler extends IdleStateHandler {
    private final Duration idleTimeout;
    private final Disconnector disconnector;

    public IdleCloseHandler(Duration idleTimeout, Disconnector disconnector) {
        super(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.idleTimeout = idleTimeout;
        this.disconnector = disconnector;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        disconnector.protocolError(ctx.channel(), ErrorCode.IDLE_TIMEOUT,
                "nothing received for " + idleTimeout.toMillis() + " ms (twice the heartbeat interval)");
    }
}
