package io.herald.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.DecoderProbe;
import io.herald.protocol.testing.RandomFrames;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded, seeded randomized input: random bytes and mutated valid streams (bits flipped, bytes changed, inserted,
 * deleted, slices cut or repeated), fed in random reads. The decoder must never throw nor leak (checked by
 * {@link DecoderProbe} and the leak detector), and what it emits must agree with a byte-level model of the
 * framing: every frame re-encodes to exactly the bytes it came from, and a failure carries the code the model
 * predicts for the bytes where it happened.
 */
class FrameDecoderFuzzTest {

    private static final int INPUTS = 20_000;
    private static final long SEED = 0x4865_7261_6C64L; // "Herald"

    @Test
    void decoderSurvivesRandomAndMutatedInput() {
        Random random = new Random(SEED);
        RandomFrames frames = new RandomFrames(random, 48);
        int frameCount = 0;
        int failureCount = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = switch (random.nextInt(5)) {
                case 0 -> randomBytes(random);
                case 1 -> plausibleHeaderThenNoise(random);
                default -> mutatedStream(random, frames);
            };
            int max = random.nextInt(4) == 0 ? 1 + random.nextInt(120) : Wire.DEFAULT_MAX_BODY_LENGTH;
            List<Object> out;
            try (DecoderProbe probe = new DecoderProbe(max, false)) {
                probe.writeSplit(input, randomCuts(random, input.length));
                out = probe.finish();
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("input #" + i + " (max " + max + "): " + Bytes.hex(input), e);
            }
            checkAgainstModel(i, input, max, out);
            for (Object o : out) {
                if (o instanceof Frame) {
                    frameCount++;
                } else {
                    failureCount++;
                }
            }
        }
        // The generator must exercise both outcomes, or the test proves little.
        assertThat(frameCount).isGreaterThan(INPUTS / 2);
        assertThat(failureCount).isGreaterThan(INPUTS / 2);
    }

    private static void checkAgainstModel(int index, byte[] input, int max, List<Object> out) {
        String context = "input #" + index + " (max " + max + "): " + Bytes.hex(input) + "\noutputs: " + out;
        int offset = 0;
        for (Object o : out) {
            int available = input.length - offset;
            if (o instanceof Frame frame) {
                assertThat(available).as(context).isGreaterThanOrEqualTo(Wire.HEADER_LENGTH);
                int length = (int) bodyLength(input, offset);
                byte[] consumed = Arrays.copyOfRange(input, offset, offset + Wire.HEADER_LENGTH + length);
                assertThat(Codec.encodeUntracked(frame)).as(context).isEqualTo(canonical(consumed, frame));
                offset += consumed.length;
            } else {
                DecodeFailure failure = (DecodeFailure) o;
                assertThat(failure.code()).as(context).isEqualTo(expectedFailure(input, offset, max));
                return;
            }
        }
        // No failure: what is left must be the start of a frame that has not fully arrived.
        assertThat(expectedFailure(input, offset, max)).as(context).isNull();
    }

    /** The failure the decoder must report for the bytes at {@code offset}, or null for an incomplete frame. */
    private static ErrorCode expectedFailure(byte[] input, int offset, int max) {
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

    private static long bodyLength(byte[] b, int offset) {
        int o = offset + Wire.LENGTH_OFFSET;
        return (b[o] & 0xFFL) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | b[o + 3] & 0xFF;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(65)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Valid magic and version, a type near the known range, flags mostly plausible, a short length, noise. */
    private static byte[] plausibleHeaderThenNoise(Random random) {
        int type = random.nextInt(12);
        int flags = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(8);
            default -> random.nextInt(256);
        };
        int length = random.nextInt(80);
        byte[] body = new byte[random.nextInt(4) == 0 ? random.nextInt(100) : length];
        random.nextBytes(body);
        return Bytes.concat(Bytes.header(type, flags, length), body);
    }

    /** One to four valid frames, then one to three random edits. */
    private static byte[] mutatedStream(Random random, RandomFrames frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            out.writeBytes(Codec.encodeUntracked(frames.next()));
        }
        byte[] bytes = out.toByteArray();
        int edits = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(3); // some streams stay valid
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(6)) {
                case 0 -> flipBit(bytes, at, random.nextInt(8));
                case 1 -> setByte(bytes, at, random.nextInt(256));
                case 2 -> insert(bytes, at, (byte) random.nextInt(256));
                case 3 -> delete(bytes, at);
                case 4 -> Arrays.copyOf(bytes, at);
                default -> repeatSlice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(16)));
            };
        }
        return bytes;
    }

    private static byte[] flipBit(byte[] b, int at, int bit) {
        byte[] copy = b.clone();
        copy[at] ^= (byte) (1 << bit);
        return copy;
    }

    private static byte[] setByte(byte[] b, int at, int value) {
        byte[] copy = b.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        return Bytes.concat(Arrays.copyOf(b, at), new byte[] {value}, Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] delete(byte[] b, int at) {
        return Bytes.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, b.length));
    }

    private static byte[] repeatSlice(byte[] b, int from, int to) {
        return Bytes.concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, from, to), Arrays.copyOfRange(b, to, b.length));
    }

    private static int[] randomCuts(Random random, int length) {
        if (length < 2) {
            return new int[0];
        }
        return random.ints(random.nextInt(4), 1, length).sorted().distinct().toArray();
    }
}
