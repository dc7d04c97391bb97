package io.herald.gateway.handler;

import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/** Answers PING with PONG, locally: heartbeats never leave the gateway. */
@Sharable
public final class PingHandler extends SimpleChannelInboundHandler<PingFrame> {
    public static final PingHandler INSTANCE = new PingHandler();

    private PingHandler() {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PingFrame ping) {
        ctx.writeAndFlush(PongFrame.INSTANCE, ctx.voidPromise());
    }
}
