package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.frame.AckFrame;
import io.netty.channel.ChannelHandlerContext;

/** A device answered a QoS 1 message the gateway sent; what the status means is delivery's business. */
public final class DownstreamAckHandler implements FrameHandler<AckFrame> {
    public static final DownstreamAckHandler INSTANCE = new DownstreamAckHandler();

    private DownstreamAckHandler() {
    }

    @Override
    public void handle(ChannelHandlerContext ctx, AckFrame ack) {
        DeviceSession.of(ctx.channel()).downstream().acked(ack.messageId(), ack.status(), ack.reason());
    }
}
