package io.herald.gateway.mqtt;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.codec.DecodeFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Refuses an MQTT packet longer than the limit as soon as its fixed header says so, before any of its body is
 * buffered. Netty's {@code MqttDecoder} checks its own limit only once the whole packet has arrived, so a device
 * announcing a 256 MB packet would make it buffer 256 MB first. This stage follows the packet boundaries in the byte
 * stream (the fixed header: one byte, then the remaining length in 1 to 4 bytes of 7 bits each, least significant
 * first) and passes the bytes on untouched; an oversized packet becomes a {@link DecodeFailure} FRAME_TOO_LARGE,
 * answered like every decode failure, and nothing after it is passed on. One per connection (it keeps the position
 * in the stream).
 *
 * <pre>
 * 30 80 80 40 ...   PUBLISH, remaining length 0x00 + 0x00 * 128 + 0x40 * 128^2 = 1,048,576: refused at its 4th byte
 * </pre>
 */
final class MqttPacketLimit extends ChannelInboundHandlerAdapter {
    private static final int MAX_LENGTH_BYTES = 4;

    private final int maxRemainingLength;
    /** Body bytes of the current packet still to pass. */
    private int bodyLeft;
    /** Header bytes of the next packet seen so far: 0 (none), 1 (type byte), then one per length byte. */
    private int headerBytes;
    private int length;
    private int multiplier;
    private boolean refused;

    MqttPacketLimit(int maxRemainingLength) {
        this.maxRemainingLength = maxRemainingLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            bytes.release();
            return;
        }
        int end = bytes.writerIndex();
        int at = bytes.readerIndex();
        int packetStart = at; // a header begun in an earlier read: its first bytes are passed on already
        while (at < end) {
            if (bodyLeft > 0) {
                int skip = Math.min(bodyLeft, end - at);
                bodyLeft -= skip;
                at += skip;
                continue;
            }
            int b = bytes.getUnsignedByte(at++);
            if (headerBytes++ == 0) {
                packetStart = at - 1;
                length = 0;
                multiplier = 1;
                continue;
            }
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0 || headerBytes > MAX_LENGTH_BYTES) {
                // a fifth length byte is malformed: the decoder reports it, so the count just restarts here
                headerBytes = 0;
                if (length > maxRemainingLength) {
                    refuse(ctx, bytes, packetStart);
                    return;
                }
                bodyLeft = length;
            }
        }
        ctx.fireChannelRead(bytes);
    }

    /** Passes on the packets before the oversized one (they may be fine), then the failure. */
    private void refuse(ChannelHandlerContext ctx, ByteBuf bytes, int packetStart) {
        refused = true;
        int before = packetStart - bytes.readerIndex();
        if (before > 0) {
            ctx.fireChannelRead(bytes.retainedSlice(bytes.readerIndex(), before));
        }
        bytes.release();
        ctx.fireChannelRead(new DecodeFailure(ErrorCode.FRAME_TOO_LARGE, "MQTT packet of " + length
                + " bytes after its fixed header exceeds the limit of " + maxRemainingLength));
    }
}
