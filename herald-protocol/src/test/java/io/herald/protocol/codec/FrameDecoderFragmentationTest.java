package io.herald.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.DecoderProbe;
import io.herald.protocol.testing.RandomFrames;
import io.herald.protocol.testing.WireExamples;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** However a stream of frames is cut into reads, the same frames come out in the same order. */
class FrameDecoderFragmentationTest {

    private static List<Frame> exampleFrames() {
        return new ArrayList<>(WireExamples.BY_NAME.values());
    }

    private static byte[] encodeAll(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            out.writeBytes(Codec.encode(frame));
        }
        return out.toByteArray();
    }

    @Test
    void wholeStreamInOneRead() {
        List<Frame> frames = exampleFrames();
        assertThat(Codec.decode(Wire.DEFAULT_MAX_BODY_LENGTH, encodeAll(frames))).containsExactlyElementsOf(frames);
    }

    @Test
    void byteByByte() {
        List<Frame> frames = exampleFrames();
        byte[] stream = encodeAll(frames);
        try (DecoderProbe probe = new DecoderProbe(Wire.DEFAULT_MAX_BODY_LENGTH)) {
            int emittedBefore = 0;
            for (int i = 0; i < stream.length; i++) {
                List<Object> out = probe.write(new byte[] {stream[i]});
                // A frame is emitted exactly with its last byte, never earlier.
                assertThat(out.size()).isLessThanOrEqualTo(1);
                emittedBefore += out.size();
            }
            assertThat(emittedBefore).isEqualTo(frames.size());
            assertThat(probe.finish()).containsExactlyElementsOf(frames);
        }
    }

    @Test
    void eachFrameIsEmittedWithItsLastByte() {
        List<Frame> frames = exampleFrames();
        try (DecoderProbe probe = new DecoderProbe(Wire.DEFAULT_MAX_BODY_LENGTH)) {
            for (Frame frame : frames) {
                byte[] bytes = Codec.encode(frame);
                for (int i = 0; i < bytes.length - 1; i++) {
                    assertThat(probe.write(new byte[] {bytes[i]})).isEmpty();
                }
                assertThat(probe.write(new byte[] {bytes[bytes.length - 1]})).containsExactly(frame);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 4711, 20240601})
    void randomSplitPoints(long seed) {
        Random random = new Random(seed);
        RandomFrames generator = new RandomFrames(random, 3_000);
        List<Frame> frames = exampleFrames();
        for (int i = 0; i < 60; i++) {
            frames.add(generator.next());
        }
        // One frame whose body is exactly the maximum, so a split lands inside a big body too.
        frames.add(new MessageFrame(-5, ContentType.VIDEO, Qos.AT_LEAST_ONCE, false, "big", 0,
                Bytes.filled(Wire.DEFAULT_MAX_BODY_LENGTH - 17 - 4, 0x77)));
        Collections.shuffle(frames, random);
        byte[] stream = encodeAll(frames);

        for (int round = 0; round < 12; round++) {
            TreeSet<Integer> cuts = new TreeSet<>();
            int count = random.nextInt(round < 6 ? 50 : 1_000); // few large reads, then many small ones
            for (int i = 0; i < count; i++) {
                cuts.add(1 + random.nextInt(stream.length - 1));
            }
            // Untracked input buffers: thousands of reads at the PARANOID leak level are otherwise slow.
            try (DecoderProbe probe = new DecoderProbe(Wire.DEFAULT_MAX_BODY_LENGTH, false)) {
                probe.writeSplit(stream, cuts.stream().mapToInt(Integer::intValue).toArray());
                assertThat(probe.finish()).as("seed %d round %d, %d cuts", seed, round, cuts.size())
                        .containsExactlyElementsOf(frames);
            }
        }
    }

    @Test
    void splitsAtEveryHeaderOffset() {
        // Cut each frame after 1..8 header bytes, and between header and body.
        List<Frame> frames = exampleFrames();
        for (int headerBytes = 1; headerBytes <= Wire.HEADER_LENGTH; headerBytes++) {
            try (DecoderProbe probe = new DecoderProbe(Wire.DEFAULT_MAX_BODY_LENGTH)) {
                for (Frame frame : frames) {
                    byte[] bytes = Codec.encode(frame);
                    probe.writeSplit(bytes, headerBytes < bytes.length ? new int[] {headerBytes} : new int[0]);
                }
                assertThat(probe.finish()).containsExactlyElementsOf(frames);
            }
        }
    }

    @Test
    void emptyReadsChangeNothing() {
        List<Frame> frames = exampleFrames();
        try (DecoderProbe probe = new DecoderProbe(Wire.DEFAULT_MAX_BODY_LENGTH)) {
            for (Frame frame : frames) {
                probe.write(new byte[0]);
                probe.write(Codec.encode(frame));
                probe.write(new byte[0]);
            }
            assertThat(probe.finish()).containsExactlyElementsOf(frames);
        }
    }
}
