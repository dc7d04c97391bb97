package io.herald.gateway.handler;

import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.protocol.FrameType;
import io.herald.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts frames in and out by type. Pre-encoded buffers going out are broadcast MESSAGE frames. */
@Sharable
public final class FrameMetricsHandler extends ChannelDuplexHandler {
    private final GatewayMetrics metrics;

    public FrameMetricsHandler(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            metrics.frameIn(frame.type());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Frame frame) {
            metrics.frameOut(frame.type());
        } else if (msg instanceof ByteBuf) {
            metrics.frameOut(FrameType.MESSAGE);
        }
        ctx.write(msg, promise);
    }
}
