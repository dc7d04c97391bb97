package io.herald.protocol.codec;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into frames and decodes them. The header is checked as soon as its bytes arrive, so
 * a bad magic byte, version or oversized length is refused before any body is buffered: memory held per
 * connection is bounded by {@code maxBodyLength}.
 *
 * <p>Emits {@link io.herald.protocol.frame.Frame}s, or one {@link DecodeFailure} on malformed input, after
 * which every further byte is discarded (the connection is about to be closed by the handler that reacts
 * to the failure). Never throws for bad input. Stateful: one instance per channel.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxBodyLength;
    private boolean failed;

    public FrameDecoder(int maxBodyLength) {
        if (maxBodyLength < 1 || maxBodyLength > Wire.HARD_MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be between 1 and " + Wire.HARD_MAX_BODY_LENGTH
                    + ", was " + maxBodyLength);
        }
        this.maxBodyLength = maxBodyLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available >= 1 && in.getByte(start + Wire.MAGIC_OFFSET) != Wire.MAGIC) {
            fail(in, out, ErrorCode.BAD_MAGIC, "bad magic byte 0x"
                    + String.format("%02x", in.getUnsignedByte(start)) + ", expected 0x48");
            return;
        }
        if (available >= 2 && in.getByte(start + Wire.VERSION_OFFSET) != Wire.VERSION) {
            fail(in, out, ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + in.getUnsignedByte(start + Wire.VERSION_OFFSET) + " is not supported, expected "
                    + Wire.VERSION);
            return;
        }
        if (available < Wire.HEADER_LENGTH) {
            return;
        }
        long bodyLength = in.getUnsignedInt(start + Wire.LENGTH_OFFSET);
        if (bodyLength > maxBodyLength) {
            fail(in, out, ErrorCode.FRAME_TOO_LARGE, "frame body of " + bodyLength
                    + " bytes exceeds the maximum of " + maxBodyLength);
            return;
        }
        if (available < Wire.HEADER_LENGTH + bodyLength) {
            return;
        }
        int type = in.getUnsignedByte(start + Wire.TYPE_OFFSET);
        int flags = in.getUnsignedByte(start + Wire.FLAGS_OFFSET);
        ByteBuf body = in.slice(start + Wire.HEADER_LENGTH, (int) bodyLength);
        in.skipBytes(Wire.HEADER_LENGTH + (int) bodyLength);
        try {
            out.add(FrameCodec.decodeBody(type, flags, body));
        } catch (ProtocolException e) {
            fail(in, out, e.code(), e.getMessage());
        }
    }

    private void fail(ByteBuf in, List<Object> out, ErrorCode code, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new DecodeFailure(code, reason));
    }
}
