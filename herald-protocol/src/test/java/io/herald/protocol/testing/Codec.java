package io.herald.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;

/** Encodes and decodes through the real codec, releasing every buffer. */
public final class Codec {
    private Codec() {
    }

    /** The exact bytes {@link FrameCodec#encode(ByteBufAllocator, Frame)} produces. */
    public static byte[] encode(Frame frame) {
        ByteBuf buf = FrameCodec.encode(ByteBufAllocator.DEFAULT, frame);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /**
     * The same bytes as {@link #encode}, through an untracked heap buffer: much cheaper where many frames are
     * encoded, since the PARANOID leak detector records a stack trace on every access to a tracked buffer.
     */
    public static byte[] encodeUntracked(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encode(frame, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Decodes {@code bytes} with a fresh {@link io.herald.protocol.codec.FrameDecoder}: every output, in order. */
    public static List<Object> decode(int maxBodyLength, byte[] bytes) {
        try (DecoderProbe probe = new DecoderProbe(maxBodyLength)) {
            probe.write(bytes);
            return probe.finish();
        }
    }

    /** Decodes bytes that must hold exactly one valid frame. */
    public static Frame decodeOne(byte[] bytes) {
        return decodeOne(Wire.HARD_MAX_BODY_LENGTH, bytes);
    }

    public static Frame decodeOne(int maxBodyLength, byte[] bytes) {
        List<Object> out = decode(maxBodyLength, bytes);
        assertThat(out).as("decoder output for %s", abbreviatedHex(bytes)).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(Frame.class);
        return (Frame) out.get(0);
    }

    public static String abbreviatedHex(byte[] bytes) {
        if (bytes.length <= 64) {
            return Bytes.hex(bytes);
        }
        byte[] head = Arrays.copyOf(bytes, 64);
        return Bytes.hex(head) + " ... (" + bytes.length + " bytes)";
    }
}
