package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.frame.AckFrame;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/** A device answered a QoS 1 message the gateway sent; what the status means is delivery's business. */
@Sharable
public final class DownstreamAckHandler extends SimpleChannelInboundHandler<AckFrame> {
    public static final DownstreamAckHandler INSTANCE = new DownstreamAckHandler();

    private DownstreamAckHandler() {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AckFrame ack) {
        DeviceSession.of(ctx.channel()).downstream().acked(ack.messageId(), ack.status(), ack.reason());
    }
}
