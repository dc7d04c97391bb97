package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a connection the idle detector reports silent for too long (no frame, not even PING). */
@Sharable
public final class IdleCloseHandler extends ChannelInboundHandlerAdapter {
    public static final IdleCloseHandler INSTANCE = new IdleCloseHandler();
    private static final Logger log = LoggerFactory.getLogger("herald.event.disconnect");

    private IdleCloseHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            DeviceSession session = DeviceSession.of(ctx.channel());
            log.info("{} closing: silent past the heartbeat limit", session != null ? session.logPrefix() : ctx.channel());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
