package io.herald.protocol.codec;

import static io.herald.protocol.testing.Bytes.bytes;
import static io.herald.protocol.testing.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
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
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.RandomFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every frame type survives encode → decode unchanged, including edge values. */
class FrameRoundTripTest {

    /** Fixed part of a MESSAGE body: id (8), content type (1), timestamp (8). */
    private static final int MESSAGE_FIXED = 17;
    /** 65,535 bytes of UTF-8 in characters of each encoded length. */
    private static final String MAX_ASCII = "a".repeat(Wire.MAX_STRING_BYTES);
    private static final String MAX_THREE_BYTE = "€".repeat(Wire.MAX_STRING_BYTES / 3);
    private static final String MAX_FOUR_BYTE = "😀".repeat(Wire.MAX_STRING_BYTES / 4) + "abc";
    private static final String MIXED = "Grüße, 你好, Ωμέγα 🙂 \u0000 end";
    private static final String PRINTABLE_64 = IntStream.rangeClosed('!', '~').limit(64)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    /** The last 64 printable characters, '?' to '~'. */
    private static final String LAST_PRINTABLE_64 = IntStream.rangeClosed('!', '~').skip(30)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

    static Stream<Arguments> frames() {
        List<Arguments> cases = new ArrayList<>();
        // AUTH
        add(cases, "auth empty token", new AuthFrame(""));
        add(cases, "auth ascii token", new AuthFrame("tkn_0123456789abcdef"));
        add(cases, "auth multi-byte token", new AuthFrame(MIXED));
        add(cases, "auth max ascii token", new AuthFrame(MAX_ASCII));
        add(cases, "auth max 3-byte token", new AuthFrame(MAX_THREE_BYTE));
        add(cases, "auth max 4-byte token", new AuthFrame(MAX_FOUR_BYTE));
        // AUTH_OK
        add(cases, "auth-ok heartbeat 0, empty ids", new AuthOkFrame(0, "", ""));
        add(cases, "auth-ok heartbeat 1", new AuthOkFrame(1, "dev-1", "s"));
        add(cases, "auth-ok heartbeat 2^31", new AuthOkFrame(0x8000_0000L, "dev-1", "s"));
        add(cases, "auth-ok heartbeat u32 max", new AuthOkFrame(0xFFFF_FFFFL, "dev-1", "s"));
        add(cases, "auth-ok max strings", new AuthOkFrame(30_000, MAX_ASCII, MAX_THREE_BYTE));
        add(cases, "auth-ok multi-byte", new AuthOkFrame(30_000, MIXED, MIXED));
        // AUTH_FAIL and ERROR: every code
        for (ErrorCode code : ErrorCode.values()) {
            add(cases, "auth-fail " + code, new AuthFailFrame(code, code.name().toLowerCase(Locale.ROOT)));
            add(cases, "error " + code, new ErrorFrame(code, "reason: " + code));
        }
        add(cases, "auth-fail empty reason", new AuthFailFrame(ErrorCode.INVALID_TOKEN, ""));
        add(cases, "auth-fail max reason", new AuthFailFrame(ErrorCode.INVALID_TOKEN, MAX_FOUR_BYTE));
        add(cases, "error empty reason", new ErrorFrame(ErrorCode.INTERNAL_ERROR, ""));
        add(cases, "error max reason", new ErrorFrame(ErrorCode.MALFORMED_FRAME, MAX_ASCII));
        // PING, PONG
        add(cases, "ping", PingFrame.INSTANCE);
        add(cases, "pong", PongFrame.INSTANCE);
        add(cases, "new ping", new PingFrame());
        // MESSAGE: ids and timestamps at the edges
        for (long value : new long[] {Long.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE + 1L, Long.MAX_VALUE}) {
            add(cases, "message id " + value, message(value, 1_700_000_000_000L, new byte[] {1, 2, 3}));
            add(cases, "message timestamp " + value, message(42, value, new byte[] {1, 2, 3}));
        }
        add(cases, "message empty payload", message(1, 2, new byte[0]));
        add(cases, "message every byte value", message(1, 2, allByteValues()));
        add(cases, "message trace 1 char", new MessageFrame(1, ContentType.TEXT, Qos.AT_MOST_ONCE, false,
                "!", 0, new byte[0]));
        add(cases, "message trace 64 chars", new MessageFrame(1, ContentType.TEXT, Qos.AT_MOST_ONCE, false,
                PRINTABLE_64, 0, new byte[] {9}));
        add(cases, "message trace of the last 64 printable characters", new MessageFrame(1, ContentType.TEXT,
                Qos.AT_LEAST_ONCE, true, LAST_PRINTABLE_64, 0, new byte[] {9}));
        add(cases, "message payload filling the default max body", message(1, 2,
                Bytes.filled(Wire.DEFAULT_MAX_BODY_LENGTH - MESSAGE_FIXED, 0x5A)));
        add(cases, "message with trace filling the default max body", new MessageFrame(1, ContentType.BINARY,
                Qos.AT_LEAST_ONCE, true, PRINTABLE_64, 3,
                Bytes.filled(Wire.DEFAULT_MAX_BODY_LENGTH - MESSAGE_FIXED - 1 - 64, 0xA5)));
        // ACK
        for (AckStatus status : AckStatus.values()) {
            add(cases, "ack " + status, new AckFrame(123_456_789L, status, status == AckStatus.OK ? "" : "why"));
        }
        add(cases, "ack id min", AckFrame.ok(Long.MIN_VALUE));
        add(cases, "ack id -1", AckFrame.ok(-1));
        add(cases, "ack id max", AckFrame.ok(Long.MAX_VALUE));
        add(cases, "ack max reason", new AckFrame(5, AckStatus.REJECTED, MAX_THREE_BYTE));
        add(cases, "ack multi-byte reason", new AckFrame(5, AckStatus.RETRY, MIXED));
        // NOTICE
        for (NoticeKind kind : NoticeKind.values()) {
            add(cases, "notice " + kind, new NoticeFrame(kind, 1_000, "reason " + kind,
                    kind == NoticeKind.REDIRECT ? "gw.example.com:7000" : ""));
        }
        add(cases, "notice kicked factory", NoticeFrame.kicked("taken over"));
        add(cases, "notice delay u32 max", new NoticeFrame(NoticeKind.RECONNECT, 0xFFFF_FFFFL, "", ""));
        add(cases, "notice ipv6 redirect", new NoticeFrame(NoticeKind.REDIRECT, 0, "", "[2001:db8::1]:7000"));
        add(cases, "notice max strings", new NoticeFrame(NoticeKind.REDIRECT, 7, MAX_FOUR_BYTE, MAX_ASCII));
        return cases.stream();
    }

    /** Every content type, QoS, duplicate mark and trace presence, in all combinations. */
    static Stream<Arguments> messageVariants() {
        List<Arguments> cases = new ArrayList<>();
        for (ContentType contentType : ContentType.values()) {
            for (Qos qos : Qos.values()) {
                for (boolean duplicate : new boolean[] {false, true}) {
                    for (String trace : new String[] {null, "trace-01"}) {
                        MessageFrame frame = new MessageFrame(99, contentType, qos, duplicate, trace,
                                1_700_000_000_000L, Bytes.utf8("payload of " + contentType));
                        add(cases, frame.toString(), frame);
                    }
                }
            }
        }
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String name, Frame frame) {
        cases.add(Arguments.of(name, frame));
    }

    private static MessageFrame message(long id, long timestamp, byte[] payload) {
        return new MessageFrame(id, ContentType.BINARY, Qos.AT_LEAST_ONCE, false, null, timestamp, payload);
    }

    private static byte[] allByteValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"frames", "messageVariants"})
    void roundTripsThroughTheDecoder(String name, Frame frame) {
        byte[] encoded = Codec.encode(frame);
        assertThat(encoded.length).isGreaterThanOrEqualTo(Wire.HEADER_LENGTH);
        Frame decoded = Codec.decodeOne(encoded);
        assertThat(decoded).isEqualTo(frame);
        assertThat(decoded.type()).isEqualTo(frame.type());
        assertThat(Codec.encode(decoded)).isEqualTo(encoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"frames", "messageVariants"})
    void headerDescribesTheBody(String name, Frame frame) {
        byte[] encoded = Codec.encode(frame);
        assertThat(encoded[Wire.MAGIC_OFFSET]).isEqualTo(Wire.MAGIC);
        assertThat(encoded[Wire.VERSION_OFFSET]).isEqualTo(Wire.VERSION);
        assertThat(encoded[Wire.TYPE_OFFSET] & 0xFF).isEqualTo(frame.type().code());
        long length = ((encoded[4] & 0xFFL) << 24) | ((encoded[5] & 0xFF) << 16) | ((encoded[6] & 0xFF) << 8)
                | (encoded[7] & 0xFF);
        assertThat(length).isEqualTo(encoded.length - Wire.HEADER_LENGTH);
        int flags = encoded[Wire.FLAGS_OFFSET] & 0xFF;
        if (frame instanceof MessageFrame m) {
            assertThat((flags & Wire.FLAG_QOS_1) != 0).isEqualTo(m.qos() == Qos.AT_LEAST_ONCE);
            assertThat((flags & Wire.FLAG_DUPLICATE) != 0).isEqualTo(m.duplicate());
            assertThat((flags & Wire.FLAG_TRACE) != 0).isEqualTo(m.traceId() != null);
            assertThat(flags & ~Wire.KNOWN_MESSAGE_FLAGS).isZero();
        } else {
            assertThat(flags).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"frames", "messageVariants"})
    void decodeBodyReadsExactlyTheBody(String name, Frame frame) throws ProtocolException {
        byte[] encoded = Codec.encode(frame);
        ByteBuf body = Bytes.buffer(Arrays.copyOfRange(encoded, Wire.HEADER_LENGTH, encoded.length));
        try {
            Frame decoded = FrameCodec.decodeBody(encoded[Wire.TYPE_OFFSET] & 0xFF,
                    encoded[Wire.FLAGS_OFFSET] & 0xFF, body);
            assertThat(decoded).isEqualTo(frame);
            assertThat(body.isReadable()).isFalse();
        } finally {
            body.release();
        }
    }

    @Test
    void longestStringsAreExactlyTheLimit() {
        for (String s : new String[] {MAX_ASCII, MAX_THREE_BYTE, MAX_FOUR_BYTE}) {
            assertThat(Bytes.utf8(s)).hasSize(Wire.MAX_STRING_BYTES);
            assertThat(Codec.encode(new AuthFrame(s))).hasSize(Wire.HEADER_LENGTH + 2 + Wire.MAX_STRING_BYTES);
        }
        assertThat(PRINTABLE_64).hasSize(Wire.MAX_TRACE_ID_LENGTH);
        assertThat(LAST_PRINTABLE_64).hasSize(Wire.MAX_TRACE_ID_LENGTH).endsWith("~");
    }

    @Test
    void messageFillingTheHardMaximumRoundTripsWithAMatchingLimit() {
        MessageFrame frame = message(7, 8, Bytes.filled(Wire.HARD_MAX_BODY_LENGTH - MESSAGE_FIXED, 0x33));
        byte[] encoded = Codec.encode(frame);
        assertThat(encoded).hasSize(Wire.HEADER_LENGTH + Wire.HARD_MAX_BODY_LENGTH);
        assertThat(Codec.decodeOne(Wire.HARD_MAX_BODY_LENGTH, encoded)).isEqualTo(frame);
    }

    @Test
    void bodyOfExactlyTheConfiguredMaximumIsAccepted() {
        for (int max : new int[] {MESSAGE_FIXED, 100, Wire.DEFAULT_MAX_BODY_LENGTH}) {
            MessageFrame frame = message(1, 2, Bytes.filled(max - MESSAGE_FIXED, 1));
            assertThat(Codec.decodeOne(max, Codec.encode(frame))).isEqualTo(frame);
        }
    }

    @Test
    void randomFramesRoundTrip() {
        RandomFrames random = new RandomFrames(new Random(20240601L), 2_000);
        for (int i = 0; i < 3_000; i++) {
            Frame frame = random.next();
            byte[] encoded = Codec.encode(frame);
            assertThat(Codec.decodeOne(encoded)).as("random frame #%d", i).isEqualTo(frame);
        }
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void framesGoThroughAnEncoderAndDecoderPipeline(FrameType type) {
        RandomFrames random = new RandomFrames(new Random(type.code()), 500);
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(random.next(type));
        }
        EmbeddedChannel client = new EmbeddedChannel(FrameEncoder.INSTANCE);
        EmbeddedChannel server = new EmbeddedChannel(new FrameDecoder(Wire.DEFAULT_MAX_BODY_LENGTH));
        for (Frame frame : sent) {
            assertThat(client.writeOutbound(frame)).isTrue();
        }
        ByteBuf wire;
        while ((wire = client.readOutbound()) != null) {
            server.writeInbound(wire);
        }
        List<Object> received = new ArrayList<>();
        Object message;
        while ((message = server.readInbound()) != null) {
            received.add(message);
        }
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(client.finish()).isFalse();
        assertThat(server.finish()).isFalse();
    }

    @Test
    void unknownErrorCodesFromANewerPeerDecodeAsInternalError() {
        // ErrorCode.ofCode maps codes this version does not know to INTERNAL_ERROR instead of failing.
        byte[] error = Bytes.frame(FrameType.ERROR.code(), 0, concat(bytes(0x03, 0xE7), Bytes.str16("new")));
        assertThat(Codec.decodeOne(error)).isEqualTo(new ErrorFrame(ErrorCode.INTERNAL_ERROR, "new"));
        byte[] authFail = Bytes.frame(FrameType.AUTH_FAIL.code(), 0, concat(bytes(0x00, 0x00), Bytes.str16("")));
        assertThat(Codec.decodeOne(authFail)).isEqualTo(new AuthFailFrame(ErrorCode.INTERNAL_ERROR, ""));
    }

    @Test
    void duplicateFlagWithoutQos1IsAccepted() {
        MessageFrame frame = new MessageFrame(3, ContentType.TEXT, Qos.AT_MOST_ONCE, true, null, 0, new byte[0]);
        assertThat(Codec.encode(frame)[Wire.FLAGS_OFFSET]).isEqualTo((byte) 0b0000_0010);
        assertThat(Codec.decodeOne(Codec.encode(frame))).isEqualTo(frame);
    }

    @Test
    void asDuplicateOnlyAddsTheDuplicateFlag() {
        MessageFrame original = new MessageFrame(3, ContentType.JSON, Qos.AT_LEAST_ONCE, false, "t", 5,
                Bytes.utf8("{}"));
        byte[] first = Codec.encode(original);
        byte[] again = Codec.encode(original.asDuplicate());
        assertThat(again[Wire.FLAGS_OFFSET]).isEqualTo((byte) 0b0000_0111);
        first[Wire.FLAGS_OFFSET] |= Wire.FLAG_DUPLICATE;
        assertThat(again).isEqualTo(first);
        assertThat(original.asDuplicate().asDuplicate()).isEqualTo(original.asDuplicate());
    }

    @Test
    void encodeAppendsToAnExistingBuffer() {
        ByteBuf out = Bytes.buffer(bytes(0xEE));
        try {
            FrameCodec.encode(PingFrame.INSTANCE, out);
            FrameCodec.encode(AckFrame.ok(77), out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(concat(bytes(0xEE),
                    Codec.encode(PingFrame.INSTANCE), Codec.encode(AckFrame.ok(77))));
        } finally {
            out.release();
        }
    }
}
