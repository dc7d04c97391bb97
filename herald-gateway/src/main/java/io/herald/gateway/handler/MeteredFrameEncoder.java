package io.herald.gateway.handler;

import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.protocol.FrameType;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes frames going out ({@link FrameCodec}, as the protocol's {@code FrameEncoder}) and counts them by type; frames
 * coming in are counted by {@link DeviceFrameDispatcher}. One stage for both jobs: a stage costs a handler context per
 * connection. Pre-encoded buffers (a broadcast frame encoded once and shared) pass through untouched and count as
 * MESSAGE frames.
 */
@Sharable
public final class MeteredFrameEncoder extends MessageToByteEncoder<Frame> {
    private final GatewayMetrics metrics;

    public MeteredFrameEncoder(GatewayMetrics metrics) {
        super(Frame.class);
        this.metrics = metrics;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof Frame frame) {
            metrics.frameOut(frame.type());
        } else if (msg instanceof ByteBuf) {
            metrics.frameOut(FrameType.MESSAGE);
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        FrameCodec.encode(frame, out);
    }
}
