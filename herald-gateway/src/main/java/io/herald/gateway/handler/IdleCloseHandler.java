package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that sent nothing (not even PING) for the idle timeout. Extends Netty's idle detector
 * rather than listening for its events in a second handler: one pipeline stage less per connection. Holds a
 * timer per channel, so one instance per channel.
 */
public final class IdleCloseHandler extends IdleStateHandler {
    private static final Logger log = LoggerFactory.getLogger("herald.event.disconnect");

    public IdleCloseHandler(Duration idleTimeout) {
        super(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        log.info("{} closing: silent past the heartbeat limit", session != null ? session.logPrefix() : ctx.channel());
        ctx.close();
    }
}
