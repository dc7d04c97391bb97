package io.herald.cluster.link.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * {@link LinkFrame} → length field, header and body. A frame the peer would refuse as too long fails its write
 * instead of going out (the request's future fails with the reason); the base class releases the buffer.
 */
@Sharable
public final class LinkFrameEncoder extends MessageToByteEncoder<LinkFrame> {
    private final int maxFrameLength;

    public LinkFrameEncoder(int maxFrameLength) {
        super(LinkFrame.class);
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, LinkFrame frame, boolean preferDirect) {
        int guess = LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH + frame.estimatedBodyLength();
        return ctx.alloc().ioBuffer(Math.min(guess, maxFrameLength));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, LinkFrame frame, ByteBuf out) {
        encode(frame, out, maxFrameLength);
    }

    /** Appends the whole frame to {@code out}; throws, leaving {@code out} as it was, when it is too long. */
    public static void encode(LinkFrame frame, ByteBuf out, int maxFrameLength) {
        int start = out.writerIndex();
        try {
            out.writeInt(0); // the length, patched below
            out.writeByte(LinkWire.VERSION);
            out.writeByte(frame.type().code());
            out.writeLong(frame.requestId());
            frame.writeBody(out);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
        int length = out.writerIndex() - start;
        if (length > maxFrameLength) {
            out.writerIndex(start);
            throw new EncoderException(frame.type() + " frame of " + length + " bytes exceeds the link's maximum of "
                    + maxFrameLength);
        }
        out.setInt(start, length - LinkWire.LENGTH_FIELD_LENGTH);
    }
}
