package io.herald.protocol.codec;

import static io.herald.protocol.testing.Bytes.bytes;
import static io.herald.protocol.testing.Bytes.concat;
import static io.herald.protocol.testing.Bytes.header;
import static io.herald.protocol.testing.Bytes.str16;
import static io.herald.protocol.testing.Bytes.u16;
import static io.herald.protocol.testing.Bytes.u32;
import static io.herald.protocol.testing.Bytes.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.DecoderProbe;
import io.herald.protocol.testing.WireExamples;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed input: the decoder emits exactly one {@link DecodeFailure} with the right code, never throws, and
 * discards everything after it.
 */
class FrameDecoderMalformedInputTest {

    private static final int MAX = Wire.DEFAULT_MAX_BODY_LENGTH;
    private static final int AUTH = FrameType.AUTH.code();
    private static final int AUTH_OK = FrameType.AUTH_OK.code();
    private static final int AUTH_FAIL = FrameType.AUTH_FAIL.code();
    private static final int MESSAGE = FrameType.MESSAGE.code();
    private static final int ACK = FrameType.ACK.code();
    private static final int ERROR = FrameType.ERROR.code();
    private static final int NOTICE = FrameType.NOTICE.code();
    private static final byte[] TIMESTAMP = u64(1_700_000_000_000L);

    /** Sequences a strict UTF-8 decoder must refuse. */
    private static final byte[][] INVALID_UTF8 = {
            bytes(0xC3, 0x28),                   // 2-byte lead, then no continuation
            bytes(0xFF),                         // never valid in UTF-8
            bytes(0x80),                         // lone continuation byte
            bytes(0xC0, 0xAF),                   // overlong '/'
            bytes(0xE0, 0x80, 0xAF),             // overlong, 3 bytes
            bytes(0xED, 0xA0, 0x80),             // UTF-16 surrogate U+D800
            bytes(0xF4, 0x90, 0x80, 0x80),       // above U+10FFFF
            bytes(0xF8, 0x88, 0x80, 0x80, 0x80), // 5-byte form
            bytes('o', 'k', 0xE2, 0x82),         // truncated 3-byte sequence at the end
    };

    /** {@code reason} is a regular expression the failure's reason must contain a match of. */
    record Case(String name, byte[] input, ErrorCode code, int maxBodyLength, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case malformed(String name, int type, int flags, byte[] body, String reason) {
        return new Case(name, Bytes.frame(type, flags, body), ErrorCode.MALFORMED_FRAME, MAX, reason);
    }

    private static byte[] messageBody(int contentType, byte[] rest) {
        return concat(u64(1), bytes(contentType), TIMESTAMP, rest);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();

        // Header: magic, version, type, length.
        for (int magic : new int[] {0x00, 0x47, 0x49, 0xC8, 0xFF, 0x16}) {
            cases.add(new Case("bad magic 0x" + Integer.toHexString(magic),
                    concat(bytes(magic, 0x01, 0x04, 0x00), u32(0)), ErrorCode.BAD_MAGIC, MAX, "bad magic byte"));
        }
        cases.add(new Case("HTTP request", Bytes.utf8("GET /ws HTTP/1.1\r\n\r\n"), ErrorCode.BAD_MAGIC, MAX,
                "bad magic byte 0x47"));
        for (int version : new int[] {0x00, 0x02, 0x7F, 0xFF}) {
            cases.add(new Case("version " + version, concat(bytes(0x48, version, 0x04, 0x00), u32(0)),
                    ErrorCode.UNSUPPORTED_VERSION, MAX, "version " + version + " is not supported"));
        }
        for (int type : new int[] {0x00, 0x0A, 0x10, 0x7F, 0x80, 0xFF}) {
            String name = "unknown type 0x" + Integer.toHexString(type);
            cases.add(new Case(name, header(type, 0, 0), ErrorCode.UNKNOWN_FRAME_TYPE, MAX, "unknown frame type"));
            cases.add(new Case(name + " with a body", Bytes.frame(type, 0, bytes(1, 2, 3)),
                    ErrorCode.UNKNOWN_FRAME_TYPE, MAX, "unknown frame type"));
        }
        cases.add(tooLarge("length max + 1", MAX + 1L, MAX));
        cases.add(tooLarge("length 2 with max 1", 2, 1));
        cases.add(tooLarge("length hard max + 1", Wire.HARD_MAX_BODY_LENGTH + 1L, Wire.HARD_MAX_BODY_LENGTH));
        cases.add(tooLarge("length 2^31 (negative as an int)", 0x8000_0000L, Wire.HARD_MAX_BODY_LENGTH));
        cases.add(tooLarge("length u32 max", 0xFFFF_FFFFL, Wire.HARD_MAX_BODY_LENGTH));

        // Flags.
        byte[] validMessageBody = messageBody(1, bytes('x'));
        for (int bit = 3; bit < 8; bit++) {
            cases.add(malformed("MESSAGE with unknown flag bit " + bit, MESSAGE, 1 << bit, validMessageBody,
                    "unknown flags"));
        }
        cases.add(malformed("MESSAGE with all flag bits", MESSAGE, 0xFF, validMessageBody, "unknown flags 0xff"));
        for (FrameType type : FrameType.values()) {
            if (type != FrameType.MESSAGE) {
                byte[] body = bodyOf(Codec.encode(example(type)));
                for (int bit = 0; bit < 8; bit++) {
                    cases.add(malformed(type + " with flag bit " + bit, type.code(), 1 << bit, body,
                            "unknown flags"));
                }
            }
        }

        // Truncated bodies: every strict prefix of a valid body, with the header length matching the prefix.
        for (FrameType type : FrameType.values()) {
            byte[] encoded = Codec.encode(example(type));
            byte[] body = bodyOf(encoded);
            // A MESSAGE body may end anywhere in its payload, but not inside its fixed fields or its trace id.
            int mustHave = type == FrameType.MESSAGE
                    ? 17 + 1 + WireExamples.MESSAGE_QOS1_DUPLICATE_TRACE.traceId().length()
                    : body.length;
            for (int length = 0; length < mustHave; length++) {
                cases.add(malformed(type + " body truncated to " + length + " bytes", type.code(),
                        encoded[Wire.FLAGS_OFFSET], Arrays.copyOf(body, length),
                        "truncated|exceeds the body|trace id length"));
            }
        }

        // Trailing bytes after a body that has no open-ended tail (a MESSAGE payload runs to the end of the body).
        for (FrameType type : FrameType.values()) {
            if (type != FrameType.MESSAGE) {
                byte[] body = bodyOf(Codec.encode(example(type)));
                cases.add(malformed(type + " with 1 trailing byte", type.code(), 0, concat(body, bytes(0)),
                        "1 trailing bytes"));
                cases.add(malformed(type + " with 5 trailing bytes", type.code(), 0,
                        concat(body, bytes(1, 2, 3, 4, 5)), "5 trailing bytes"));
            }
        }

        // String length beyond the body.
        String beyond = "exceeds the body";
        cases.add(malformed("AUTH token length beyond body", AUTH, 0, concat(u16(16), bytes('a', 'b')), beyond));
        cases.add(malformed("AUTH token length 0xFFFF, no bytes", AUTH, 0, u16(0xFFFF), beyond));
        cases.add(malformed("AUTH_OK session id beyond body", AUTH_OK, 0,
                concat(u32(1000), str16("dev"), u16(3), bytes('s')), beyond));
        cases.add(malformed("ACK reason beyond body", ACK, 0, concat(u64(1), bytes(0), u16(1)), beyond));
        cases.add(malformed("NOTICE redirect beyond body", NOTICE, 0,
                concat(bytes(3), u32(0), str16(""), u16(20), Bytes.utf8("host:1")), beyond));
        cases.add(malformed("NOTICE reason leaves no room for the redirect length", NOTICE, 0,
                concat(bytes(2), u32(0), u16(3), bytes('a', 'b', 'c')), "truncated"));

        // Invalid UTF-8 in every string field.
        String utf8 = "not valid UTF-8";
        for (byte[] sequence : INVALID_UTF8) {
            byte[] bad = concat(u16(sequence.length), sequence);
            String seq = Bytes.hex(sequence);
            cases.add(malformed("AUTH token " + seq, AUTH, 0, bad, utf8));
            cases.add(malformed("AUTH_OK client id " + seq, AUTH_OK, 0, concat(u32(1), bad, str16("s")), utf8));
            cases.add(malformed("AUTH_OK session id " + seq, AUTH_OK, 0, concat(u32(1), str16("c"), bad), utf8));
            cases.add(malformed("AUTH_FAIL reason " + seq, AUTH_FAIL, 0, concat(u16(12), bad), utf8));
            cases.add(malformed("ACK reason " + seq, ACK, 0, concat(u64(1), bytes(1), bad), utf8));
            cases.add(malformed("ERROR reason " + seq, ERROR, 0, concat(u16(5), bad), utf8));
            cases.add(malformed("NOTICE reason " + seq, NOTICE, 0, concat(bytes(1), u32(0), bad, str16("")), utf8));
            cases.add(malformed("NOTICE redirect " + seq, NOTICE, 0, concat(bytes(3), u32(0), str16(""), bad),
                    utf8));
        }

        // Enumerated values.
        for (int contentType : new int[] {0, 7, 0x80, 0xFF}) {
            cases.add(malformed("content type " + contentType, MESSAGE, 0, messageBody(contentType, bytes(1)),
                    "unknown content type " + contentType));
        }
        for (int status : new int[] {3, 0x7F, 0xFF}) {
            cases.add(malformed("ACK status " + status, ACK, 0, concat(u64(1), bytes(status), str16("")),
                    "unknown ACK status " + status));
        }
        for (int kind : new int[] {0, 4, 0xFF}) {
            cases.add(malformed("NOTICE kind " + kind, NOTICE, 0, concat(bytes(kind), u32(0), str16(""), str16("")),
                    "unknown NOTICE kind " + kind));
        }

        // Trace ids.
        int trace = Wire.FLAG_TRACE;
        cases.add(malformed("trace length 0", MESSAGE, trace, messageBody(1, bytes(0, 'p')),
                "bad trace id length 0"));
        cases.add(malformed("trace length 65", MESSAGE, trace,
                messageBody(1, concat(bytes(65), Bytes.filled(65, 'a'))), "bad trace id length 65"));
        cases.add(malformed("trace length 255", MESSAGE, trace,
                messageBody(1, concat(bytes(255), Bytes.filled(255, 'a'))), "bad trace id length 255"));
        cases.add(malformed("trace length beyond body", MESSAGE, trace, messageBody(1, bytes(10, 'a', 'b', 'c')),
                "bad trace id length 10"));
        cases.add(malformed("trace flag but no trace length", MESSAGE, trace, messageBody(1, new byte[0]),
                "truncated"));
        cases.add(malformed("all flags but no trace length", MESSAGE, 0b0000_0111, messageBody(1, new byte[0]),
                "truncated"));
        for (int c : new int[] {0x00, 0x1F, ' ', 0x7F, 0x80, 0xC3, 0xFF}) {
            cases.add(malformed("trace with byte 0x" + Integer.toHexString(c), MESSAGE, trace,
                    messageBody(1, bytes(3, 'a', c, 'b')), "not printable ASCII"));
        }
        return cases.stream();
    }

    private static Case tooLarge(String name, long length, int max) {
        return new Case(name, header(MESSAGE, 0, length), ErrorCode.FRAME_TOO_LARGE, max,
                "body of " + length + " bytes exceeds the maximum of " + max);
    }

    static Frame example(FrameType type) {
        return switch (type) {
            case AUTH -> WireExamples.AUTH;
            case AUTH_OK -> WireExamples.AUTH_OK;
            case AUTH_FAIL -> WireExamples.AUTH_FAIL;
            case PING -> WireExamples.PING;
            case PONG -> WireExamples.PONG;
            case MESSAGE -> WireExamples.MESSAGE_QOS1_DUPLICATE_TRACE;
            case ACK -> WireExamples.ACK_REJECTED;
            case ERROR -> WireExamples.ERROR;
            case NOTICE -> WireExamples.NOTICE_REDIRECT;
        };
    }

    private static byte[] bodyOf(byte[] frame) {
        return Arrays.copyOfRange(frame, Wire.HEADER_LENGTH, frame.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void emitsOneFailureThenDiscardsEverything(Case c) {
        try (DecoderProbe probe = new DecoderProbe(c.maxBodyLength())) {
            List<Object> out = probe.write(c.input());
            assertSingleFailure(out, c.code());
            DecodeFailure failure = (DecodeFailure) out.get(0);
            assertThat(failure.reason()).containsPattern(c.reason());
            assertThat(failure.toErrorFrame().code()).isEqualTo(c.code());
            assertThat(failure.toErrorFrame().reason()).isEqualTo(failure.reason());

            // Valid frames and more garbage afterwards are dropped.
            assertThat(probe.write(Codec.encode(PingFrame.INSTANCE))).isEmpty();
            assertThat(probe.write(Codec.encode(WireExamples.MESSAGE_QOS1))).isEmpty();
            assertThat(probe.write(c.input())).isEmpty();
            assertThat(probe.finish()).containsExactly(failure);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameFailureWhenFedByteByByteAfterValidFrames(Case c) {
        try (DecoderProbe probe = new DecoderProbe(c.maxBodyLength())) {
            // Empty-bodied frames first, so that they fit even the smallest configured maximum.
            byte[] stream = concat(Codec.encode(PongFrame.INSTANCE), Codec.encode(PingFrame.INSTANCE), c.input(),
                    Codec.encode(PingFrame.INSTANCE));
            for (byte b : stream) {
                probe.write(new byte[] {b});
            }
            List<Object> out = probe.finish();
            assertThat(out).hasSize(3);
            assertThat(out.subList(0, 2)).containsExactly(PongFrame.INSTANCE, PingFrame.INSTANCE);
            assertSingleFailure(out.subList(2, 3), c.code());
        }
    }

    private static void assertSingleFailure(List<Object> out, ErrorCode code) {
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(DecodeFailure.class);
        assertThat(((DecodeFailure) out.get(0)).code()).isEqualTo(code);
    }

    @Test
    void badMagicIsRefusedOnTheFirstByte() {
        try (DecoderProbe probe = new DecoderProbe(MAX)) {
            assertSingleFailure(probe.write(bytes(0x47)), ErrorCode.BAD_MAGIC);
        }
    }

    @Test
    void badVersionIsRefusedOnTheSecondByte() {
        try (DecoderProbe probe = new DecoderProbe(MAX)) {
            assertThat(probe.write(bytes(0x48))).isEmpty();
            assertSingleFailure(probe.write(bytes(0x02)), ErrorCode.UNSUPPORTED_VERSION);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, Wire.DEFAULT_MAX_BODY_LENGTH, Wire.HARD_MAX_BODY_LENGTH})
    void oversizedLengthIsRefusedAsSoonAsTheHeaderIsIn(int max) {
        byte[] header = header(MESSAGE, Wire.FLAG_QOS_1, max + 1L);
        try (DecoderProbe probe = new DecoderProbe(max)) {
            for (int i = 0; i < header.length - 1; i++) {
                assertThat(probe.write(new byte[] {header[i]})).as("after %d header bytes", i + 1).isEmpty();
            }
            // No body byte has been sent: the last header byte alone triggers the failure.
            List<Object> out = probe.write(new byte[] {header[header.length - 1]});
            assertSingleFailure(out, ErrorCode.FRAME_TOO_LARGE);
            assertThat(((DecodeFailure) out.get(0)).reason()).contains(String.valueOf(max + 1L))
                    .contains(String.valueOf(max));
            assertThat(probe.write(new byte[1024])).isEmpty();
        }
    }

    @Test
    void lengthAtTheMaximumWaitsForTheBody() {
        try (DecoderProbe probe = new DecoderProbe(MAX)) {
            assertThat(probe.write(header(MESSAGE, 0, MAX))).isEmpty();
            assertThat(probe.write(new byte[MAX - 1])).isEmpty(); // one byte short
            assertThat(probe.finish()).isEmpty(); // a connection closed mid-frame emits nothing
        }
    }

    @Test
    void validFramesBeforeAFailureInTheSameBufferAreDelivered() {
        byte[] stream = concat(Codec.encode(WireExamples.AUTH), Codec.encode(WireExamples.MESSAGE_QOS1),
                header(0x0A, 0, 0), Codec.encode(PingFrame.INSTANCE));
        List<Object> out = Codec.decode(MAX, stream);
        assertThat(out).hasSize(3);
        assertThat(out.subList(0, 2)).containsExactly(WireExamples.AUTH, WireExamples.MESSAGE_QOS1);
        assertSingleFailure(out.subList(2, 3), ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, Wire.HARD_MAX_BODY_LENGTH + 1, Integer.MAX_VALUE})
    void constructorRejectsAMaximumOutOfRange(int max) {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrameDecoder(max))
                .withMessageContaining(String.valueOf(Wire.HARD_MAX_BODY_LENGTH));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, Wire.DEFAULT_MAX_BODY_LENGTH, Wire.HARD_MAX_BODY_LENGTH})
    void constructorAcceptsAMaximumInRange(int max) {
        try (DecoderProbe probe = new DecoderProbe(max)) {
            assertThat(probe.write(Codec.encode(PingFrame.INSTANCE))).containsExactly(PingFrame.INSTANCE);
        }
    }

    @Test
    void decodeBodyRefusesUnknownTypesAndFlagsDirectly() {
        ByteBuf empty = Bytes.buffer(new byte[0]);
        try {
            assertThat(catchProtocolException(() -> FrameCodec.decodeBody(0x0A, 0, empty)).code())
                    .isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
            assertThat(catchProtocolException(() -> FrameCodec.decodeBody(FrameType.PING.code(), 1, empty)).code())
                    .isEqualTo(ErrorCode.MALFORMED_FRAME);
        } finally {
            empty.release();
        }
    }

    private interface Decoding {
        Frame run() throws ProtocolException;
    }

    private static ProtocolException catchProtocolException(Decoding decoding) {
        try {
            Frame frame = decoding.run();
            throw new AssertionError("expected a ProtocolException, decoded " + frame);
        } catch (ProtocolException e) {
            return e;
        }
    }
}
