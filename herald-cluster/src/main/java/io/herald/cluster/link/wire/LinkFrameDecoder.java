package io.herald.cluster.link.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * One length-delimited frame (the length field already stripped) → one {@link LinkFrame}. Anything that does not
 * follow {@link LinkWire} throws {@link MalformedLinkFrameException}, which {@link LinkExceptionHandler} answers with
 * an error frame and a close. The input buffer is released by the base class either way.
 */
@Sharable
public final class LinkFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    public static final LinkFrameDecoder INSTANCE = new LinkFrameDecoder();

    private LinkFrameDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(decode(frame));
    }

    /** Reads a whole frame; the buffer holds exactly the bytes after the length field. */
    public static LinkFrame decode(ByteBuf frame) {
        if (frame.readableBytes() < LinkWire.HEADER_LENGTH) {
            throw new MalformedLinkFrameException("a frame of " + frame.readableBytes()
                    + " bytes is shorter than the " + LinkWire.HEADER_LENGTH + "-byte header");
        }
        int version = frame.readUnsignedByte();
        if (version != LinkWire.VERSION) {
            throw new MalformedLinkFrameException("unsupported link version " + version + ", this node speaks "
                    + LinkWire.VERSION);
        }
        int code = frame.readUnsignedByte();
        LinkFrameType type = LinkFrameType.ofCode(code);
        if (type == null) {
            throw new MalformedLinkFrameException(String.format("unknown frame type 0x%02x", code));
        }
        long requestId = frame.readLong();
        LinkFrame decoded = readBody(type, requestId, frame);
        if (frame.isReadable()) {
            throw new MalformedLinkFrameException(type + " has " + frame.readableBytes() + " bytes after its body");
        }
        return decoded;
    }

    private static LinkFrame readBody(LinkFrameType type, long requestId, ByteBuf body) {
        try {
            return type.readBody(requestId, body);
        } catch (MalformedLinkFrameException e) {
            throw new MalformedLinkFrameException(type + ": " + e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedLinkFrameException(type + " body is truncated");
        } catch (RuntimeException e) {
            // A value the records refuse (e.g. an instant out of range): still the sender's fault, not ours.
            throw new MalformedLinkFrameException(type + " body holds a bad value: " + e.getMessage());
        }
    }
}
