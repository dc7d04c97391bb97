package io.herald.protocol.codec;

import io.herald.protocol.Wire;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.DecoderProbe;
import io.herald.protocol.testing.FrameArbitraries;
import io.herald.protocol.testing.FramingModel;
import io.herald.protocol.testing.Mutations;
import io.herald.protocol.testing.Mutations.Edit;
import io.herald.protocol.testing.Mutations.LengthLie;
import io.herald.protocol.testing.NoLeaks;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link FrameDecoder} over hostile input, with jqwik: arbitrary bytes, and valid frames of every type
 * damaged by {@link Mutations} (length fields that lie, bits flipped, bytes changed, inserted, deleted, the stream
 * cut short, slices repeated), each fed through an {@code EmbeddedChannel} in arbitrary reads. For every input the
 * decoder must not throw, must emit only frames and at most one {@link DecodeFailure} (last), must release every
 * buffer, and must agree with {@link FramingModel}; no buffer may leak (PARANOID leak detection, {@link NoLeaks}).
 *
 * <p>{@link FrameDecoderFuzzTest} runs 20,000 seeded inputs of the same kinds; these properties add shrinking (a
 * failure is reported as a minimal input) and a fresh seed on every run (jqwik prints it with each property's
 * report, and reruns a failed seed first).
 */
@AddLifecycleHook(NoLeaks.class)
class FrameDecoderPropertyTest {
    /** Inputs per property: together about two seconds on a 2-core machine. */
    static final int TRIES = 10_000;
    private static final int SMALL_LIMIT = 120;

    @Property(tries = TRIES)
    void arbitraryBytesDecodeToFramesOrOneFailure(@ForAll("noise") byte[] input, @ForAll("limits") int max,
                                                  @ForAll("reads") List<Integer> cuts) {
        check("arbitrary bytes", input, max, cuts);
    }

    @Property(tries = TRIES)
    void damagedValidFramesDecodeToFramesOrOneFailure(@ForAll("streams") List<Frame> frames,
                                                      @ForAll("lies") List<LengthLie> lies,
                                                      @ForAll("edits") List<Edit> edits, @ForAll("limits") int max,
                                                      @ForAll("reads") List<Integer> cuts) {
        byte[] input = Mutations.damagedStream(frames, lies, edits);
        String outcome = check("damaged stream", input, max, cuts);
        // Enough of both outcomes, or the property proves little.
        Statistics.collect(outcome);
        Statistics.coverage(coverage -> {
            coverage.check("failure").percentage(p -> p > 30);
            coverage.check("frames only").percentage(p -> p > 10);
        });
    }

    /** Decodes {@code input} in the reads {@code cuts} gives; returns which outcome it was, for the statistics. */
    private static String check(String what, byte[] input, int max, List<Integer> cuts) {
        List<Object> out;
        // Input buffers untracked (PARANOID records a stack trace on every access of a tracked one, ten times
        // slower); the decoder's own buffers come from the tracked default allocator, and the probe checks that
        // every input buffer was released.
        try (DecoderProbe probe = new DecoderProbe(max, false)) {
            probe.writeSplit(input, Mutations.cuts(cuts, input.length));
            out = probe.finish();
        }
        FramingModel.check(what, input, max, out);
        return out.stream().anyMatch(DecodeFailure.class::isInstance) ? "failure" : "frames only";
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> plausibleHeaderThenNoise = Combinators.combine(Arbitraries.integers().between(0, 11),
                        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 80),
                        FrameArbitraries.bytes(100))
                .as((type, flags, length, body) -> Bytes.concat(Bytes.header(type, flags, length), body));
        return Arbitraries.oneOf(FrameArbitraries.bytes(96), plausibleHeaderThenNoise);
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1, SMALL_LIMIT)),
                Tuple.of(3, Arbitraries.just(Wire.DEFAULT_MAX_BODY_LENGTH)),
                Tuple.of(1, Arbitraries.just(Wire.HARD_MAX_BODY_LENGTH)));
    }

    @Provide
    Arbitrary<List<Integer>> reads() {
        return FrameArbitraries.cutPoints();
    }

    @Provide
    Arbitrary<List<Frame>> streams() {
        return FrameArbitraries.frameLists(4);
    }

    @Provide
    Arbitrary<List<LengthLie>> lies() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.<LengthLie>of())),
                Tuple.of(1, FrameArbitraries.lengthLies(Wire.DEFAULT_MAX_BODY_LENGTH).list().ofMinSize(1)
                        .ofMaxSize(2)));
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return FrameArbitraries.edits().list().ofMaxSize(3);
    }
}
