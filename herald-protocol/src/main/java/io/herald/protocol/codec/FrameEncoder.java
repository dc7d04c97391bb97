package io.herald.protocol.codec;

import io.herald.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes frames. Stateless, so one shared instance serves every channel. Already-encoded {@link ByteBuf}s
 * (a broadcast frame encoded once and shared) pass through untouched.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        FrameCodec.encode(frame, out);
    }
}
