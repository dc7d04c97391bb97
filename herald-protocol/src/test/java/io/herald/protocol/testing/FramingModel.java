package io.herald.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level model of the framing rules of {@code docs/protocol.md} section 3, to check what a
 * {@link io.herald.protocol.codec.FrameDecoder} emitted for a whole input: every frame re-encodes to exactly the
 * bytes it came from, a failure carries the code the model predicts for the bytes where it happened, and without a
 * failure what is left is the start of a frame that has not fully arrived.
 */
public final class FramingModel {
    private FramingModel() {
    }

    /** Asserts that {@code out}, the decoder's outputs for {@code input} under {@code max}, agree with the model. */
    public static void check(String context, byte[] input, int max, List<Object> out) {
        String described = context + " (max " + max + "): " + Bytes.hex(input) + "\noutputs: " + out;
        int offset = 0;
        for (Object o : out) {
            int available = input.length - offset;
            if (o instanceof Frame frame) {
                assertThat(available).as(described).isGreaterThanOrEqualTo(Wire.HEADER_LENGTH);
                int length = (int) bodyLength(input, offset);
                byte[] consumed = Arrays.copyOfRange(input, offset, offset + Wire.HEADER_LENGTH + length);
                assertThat(Codec.encodeUntracked(frame)).as(described).isEqualTo(canonical(consumed, frame));
                offset += consumed.length;
            } else {
                DecodeFailure failure = (DecodeFailure) o;
                assertThat(failure.code()).as(described).isEqualTo(expectedFailure(input, offset, max));
                return;
            }
        }
        assertThat(expectedFailure(input, offset, max)).as(described).isNull();
    }

    /** The failure the decoder must report for the bytes at {@code offset}, or null for an incomplete frame. */
    public static ErrorCode expectedFailure(byte[] input, int offset, int max) {
        int available = input.length - offset;
        if (available == 0) {
            return null;
        }
        if (input[offset] != Wire.MAGIC) {
            return ErrorCode.BAD_MAGIC;
        }
        if (available >= 2 && input[offset + 1] != Wire.VERSION) {
            return ErrorCode.UNSUPPORTED_VERSION;
        }
        if (available < Wire.HEADER_LENGTH) {
            return null;
        }
        long length = bodyLength(input, offset);
        if (length > max) {
            return ErrorCode.FRAME_TOO_LARGE;
        }
        if (available < Wire.HEADER_LENGTH + length) {
            return null;
        }
        // A complete frame was refused: only its type decides which code.
        return FrameType.ofCode(input[offset + Wire.TYPE_OFFSET] & 0xFF) == null
                ? ErrorCode.UNKNOWN_FRAME_TYPE : ErrorCode.MALFORMED_FRAME;
    }

    /**
     * The bytes a frame must re-encode to. Identical to what was read, except that an error code this version
     * does not know was decoded as INTERNAL_ERROR on purpose (ErrorCode.ofCode).
     */
    private static byte[] canonical(byte[] consumed, Frame frame) {
        if (frame instanceof ErrorFrame || frame instanceof AuthFailFrame) {
            int wireCode = (consumed[Wire.HEADER_LENGTH] & 0xFF) << 8 | consumed[Wire.HEADER_LENGTH + 1] & 0xFF;
            boolean known = Arrays.stream(ErrorCode.values()).anyMatch(c -> c.code() == wireCode);
            if (!known) {
                byte[] copy = consumed.clone();
                copy[Wire.HEADER_LENGTH] = (byte) (ErrorCode.INTERNAL_ERROR.code() >>> 8);
                copy[Wire.HEADER_LENGTH + 1] = (byte) ErrorCode.INTERNAL_ERROR.code();
                return copy;
            }
        }
        return consumed;
    }

    /** The u32 length field of the header at {@code offset}. */
    public static long bodyLength(byte[] b, int offset) {
        int o = offset + Wire.LENGTH_OFFSET;
        return (b[o] & 0xFFL) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | b[o + 3] & 0xFF;
    }
}
