package io.herald.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.Wire;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.DecoderProbe;
import io.herald.protocol.testing.FramingModel;
import io.herald.protocol.testing.Mutations;
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
 * predicts for the bytes where it happened ({@link FramingModel}). {@code FrameDecoderPropertyTest} adds
 * generated, shrinkable inputs: length fields that lie, and every frame type mutated.
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
            FramingModel.check("input #" + i, input, max, out);
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
                case 0 -> Mutations.flipBit(bytes, at, random.nextInt(8));
                case 1 -> Mutations.setByte(bytes, at, random.nextInt(256));
                case 2 -> Mutations.insert(bytes, at, (byte) random.nextInt(256));
                case 3 -> Mutations.delete(bytes, at);
                case 4 -> Arrays.copyOf(bytes, at);
                default -> Mutations.repeatSlice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(16)));
            };
        }
        return bytes;
    }

    private static int[] randomCuts(Random random, int length) {
        if (length < 2) {
            return new int[0];
        }
        return random.ints(random.nextInt(4), 1, length).sorted().distinct().toArray();
    }
}
