package io.herald.protocol.testing;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.herald.protocol.testing.Mutations.Delete;
import io.herald.protocol.testing.Mutations.Edit;
import io.herald.protocol.testing.Mutations.FlipBit;
import io.herald.protocol.testing.Mutations.Insert;
import io.herald.protocol.testing.Mutations.LengthLie;
import io.herald.protocol.testing.Mutations.RepeatSlice;
import io.herald.protocol.testing.Mutations.SetByte;
import io.herald.protocol.testing.Mutations.Truncate;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for the wire protocol: valid frames of every type (shrinking towards short strings, zero ids
 * and empty payloads), the {@link Mutations} that damage them, and the reads a stream arrives in. The jqwik
 * counterpart of {@link RandomFrames}, whose seeded {@code Random} cannot shrink.
 */
public final class FrameArbitraries {
    /** Far beyond any generated stream, so that positions taken modulo a length spread over all of it. */
    private static final int MAX_POSITION = 100_000;

    private FrameArbitraries() {
    }

    /** A valid frame of any of the nine types, each type equally likely. */
    public static Arbitrary<Frame> frames() {
        return Arbitraries.<Frame>oneOf(List.of(
                strings().map(AuthFrame::new),
                Combinators.combine(u32(), strings(), strings()).as(AuthOkFrame::new),
                Combinators.combine(Arbitraries.of(ErrorCode.class), strings()).as(AuthFailFrame::new),
                Arbitraries.just(PingFrame.INSTANCE),
                Arbitraries.just(PongFrame.INSTANCE),
                messages(48),
                acks(),
                Combinators.combine(Arbitraries.of(ErrorCode.class), strings()).as(ErrorFrame::new),
                Combinators.combine(Arbitraries.of(NoticeKind.class), u32(), strings(), strings())
                        .as(NoticeFrame::new)));
    }

    public static Arbitrary<AckFrame> acks() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(AckStatus.class), strings()).as(AckFrame::new);
    }

    /** MESSAGE frames with every flag combination, payloads up to {@code maxPayload} bytes. */
    public static Arbitrary<MessageFrame> messages(int maxPayload) {
        Arbitrary<String> traceIds = Arbitraries.strings().withCharRange('!', '~')
                .ofMinLength(1).ofMaxLength(Wire.MAX_TRACE_ID_LENGTH).injectNull(0.5);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(ContentType.class), Arbitraries.of(Qos.class),
                        Arbitraries.of(true, false), traceIds, Arbitraries.longs(), bytes(maxPayload))
                .as(MessageFrame::new);
    }

    /** Strings with characters of every UTF-8 length (no lone surrogates: those cannot be encoded), usually short. */
    public static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(List.of(
                Arbitraries.integers().between(0x00, 0x7F),
                Arbitraries.integers().between(0x80, 0x7FF),
                Arbitraries.integers().between(0x800, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0xFFFD),
                Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return Arbitraries.frequencyOf(
                        Tuple.of(7, codePoints.list().ofMaxSize(24)),
                        Tuple.of(1, codePoints.list().ofMaxSize(300)))
                .map(list -> list.stream().map(Character::toString).collect(Collectors.joining()));
    }

    public static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    public static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    /** Up to {@code maxFrames} valid frames back to back. */
    public static Arbitrary<List<Frame>> frameLists(int maxFrames) {
        return frames().list().ofMinSize(1).ofMaxSize(maxFrames);
    }

    /** One edit of any kind at any position. */
    public static Arbitrary<Edit> edits() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, MAX_POSITION);
        Arbitrary<Integer> anyByte = Arbitraries.integers().between(0, 255);
        return Arbitraries.<Edit>oneOf(List.of(
                Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FlipBit::new),
                Combinators.combine(at, anyByte).as(SetByte::new),
                Combinators.combine(at, anyByte).as(Insert::new),
                at.map(Delete::new),
                at.map(Truncate::new),
                Combinators.combine(at, Arbitraries.integers().between(0, 15)).as(RepeatSlice::new)));
    }

    /**
     * A length field that lies: a little more or less than the body (the next frame's header is then read as
     * body, or the body's end as a header), or a value near the limits that matter for a decoder with
     * {@code maxBody}: zero, the limit and one past it, the signed and unsigned 32-bit edges.
     */
    public static Arbitrary<LengthLie> lengthLies(int maxBody) {
        Arbitrary<Integer> frame = Arbitraries.integers().between(0, 7);
        Arbitrary<LengthLie> relative = Combinators.combine(frame, Arbitraries.longs().between(-8, 8))
                .as((f, delta) -> new LengthLie(f, delta, false));
        Arbitrary<Long> edges = Arbitraries.of(0L, 1L, (long) maxBody, maxBody + 1L, (long) Wire.HARD_MAX_BODY_LENGTH,
                Wire.HARD_MAX_BODY_LENGTH + 1L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL);
        Arbitrary<LengthLie> absolute = Combinators.combine(frame, Arbitraries.oneOf(edges, u32()))
                .as((f, value) -> new LengthLie(f, value, true));
        return Arbitraries.oneOf(relative, absolute);
    }

    /** Points where a stream is cut into reads ({@link Mutations#cuts}): none (one read) up to many. */
    public static Arbitrary<List<Integer>> cutPoints() {
        return Arbitraries.integers().between(0, MAX_POSITION).list().ofMaxSize(12);
    }
}
