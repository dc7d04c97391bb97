package io.herald.protocol.codec;

import static io.herald.protocol.testing.Bytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.WireExamples;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrameEncoder} in a pipeline, and the encoder side of {@link FrameCodec} refusing what it cannot send. */
class FrameEncoderTest {

    private static final String TOO_LONG_ASCII = "a".repeat(Wire.MAX_STRING_BYTES + 1);
    /** 21,846 characters but 65,538 UTF-8 bytes: the limit counts bytes. */
    private static final String TOO_LONG_UTF8 = "€".repeat(Wire.MAX_STRING_BYTES / 3 + 1);

    @Test
    void byteBufPassesThroughUntouched() {
        EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
        ByteBuf preEncoded = FrameCodec.encode(ByteBufAllocator.DEFAULT, WireExamples.MESSAGE_QOS0);
        preEncoded.readerIndex(2); // an odd reader index must survive as well
        byte[] content = ByteBufUtil.getBytes(preEncoded);

        assertThat(channel.writeOutbound(preEncoded)).isTrue();
        ByteBuf out = channel.readOutbound();
        try {
            assertThat(out).isSameAs(preEncoded);
            assertThat(out.refCnt()).isEqualTo(1);
            assertThat(out.readerIndex()).isEqualTo(2);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(content);
        } finally {
            out.release();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void framesAndBuffersKeepTheirOrder() {
        EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
        ByteBuf shared = FrameCodec.encode(ByteBufAllocator.DEFAULT, WireExamples.NOTICE_REDIRECT);
        channel.writeOutbound(WireExamples.AUTH_OK, shared, PingFrame.INSTANCE);

        assertThat(readOutboundBytes(channel)).isEqualTo(Codec.encode(WireExamples.AUTH_OK));
        assertThat(readOutboundBytes(channel)).isEqualTo(Codec.encode(WireExamples.NOTICE_REDIRECT));
        assertThat(readOutboundBytes(channel)).isEqualTo(Codec.encode(PingFrame.INSTANCE));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void oneSharedInstanceServesManyChannels() {
        assertThat(FrameEncoder.class.isAnnotationPresent(ChannelHandler.Sharable.class)).isTrue();
        assertThat(FrameEncoder.INSTANCE.isSharable()).isTrue();
        EmbeddedChannel first = new EmbeddedChannel(FrameEncoder.INSTANCE);
        EmbeddedChannel second = new EmbeddedChannel(FrameEncoder.INSTANCE);
        first.writeOutbound(WireExamples.ACK_OK);
        second.writeOutbound(WireExamples.ERROR);
        assertThat(readOutboundBytes(first)).isEqualTo(Codec.encode(WireExamples.ACK_OK));
        assertThat(readOutboundBytes(second)).isEqualTo(Codec.encode(WireExamples.ERROR));
        assertThat(first.finish()).isFalse();
        assertThat(second.finish()).isFalse();
    }

    @Test
    void otherMessagesAreLeftForLaterHandlers() {
        EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
        channel.writeOutbound("not a frame");
        Object out = channel.readOutbound();
        assertThat(out).isEqualTo("not a frame");
        assertThat(channel.finish()).isFalse();
    }

    private static byte[] readOutboundBytes(EmbeddedChannel channel) {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).isNotNull();
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    // --- what cannot be encoded ---

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "tab\t", "new\nline", "ünicode", "\u007f", "\u0000",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void invalidTraceIdIsRefused(String traceId) {
        assertThat(FrameCodec.isValidTraceId(traceId)).isFalse();
        MessageFrame frame = new MessageFrame(1, ContentType.TEXT, Qos.AT_MOST_ONCE, false, traceId, 0, new byte[1]);
        assertRefused(frame, "trace id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!", "~", "a-b_c.d:e/f",
            "0123456789012345678901234567890123456789012345678901234567890123"}) // 64 characters
    void validTraceIdsAreAccepted(String traceId) {
        assertThat(FrameCodec.isValidTraceId(traceId)).isTrue();
        MessageFrame frame = new MessageFrame(1, ContentType.TEXT, Qos.AT_MOST_ONCE, false, traceId, 0, new byte[1]);
        assertThat(Codec.decodeOne(Codec.encode(frame))).isEqualTo(frame);
    }

    @Test
    void nullTraceIdIsNotAValidTraceIdButMeansNone() {
        assertThat(FrameCodec.isValidTraceId(null)).isFalse();
        MessageFrame frame = new MessageFrame(1, ContentType.TEXT, Qos.AT_MOST_ONCE, false, null, 0, new byte[1]);
        assertThat(Codec.encode(frame)[Wire.FLAGS_OFFSET]).isZero();
    }

    static Stream<Arguments> framesWithATooLongString() {
        return Stream.of(TOO_LONG_ASCII, TOO_LONG_UTF8).flatMap(s -> Stream.of(
                Arguments.of("auth token", new AuthFrame(s)),
                Arguments.of("auth-ok client id", new AuthOkFrame(1, s, "")),
                Arguments.of("auth-ok session id", new AuthOkFrame(1, "", s)),
                Arguments.of("auth-fail reason", new AuthFailFrame(ErrorCode.INVALID_TOKEN, s)),
                Arguments.of("ack reason", new AckFrame(1, AckStatus.REJECTED, s)),
                Arguments.of("error reason", new ErrorFrame(ErrorCode.INTERNAL_ERROR, s)),
                Arguments.of("notice reason", new NoticeFrame(NoticeKind.RECONNECT, 1, s, "")),
                Arguments.of("notice redirect", new NoticeFrame(NoticeKind.REDIRECT, 1, "", s))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framesWithATooLongString")
    void stringOverTheLimitIsRefused(String name, Frame frame) {
        assertRefused(frame, "string longer than " + Wire.MAX_STRING_BYTES);
    }

    /** Refused by every encoding path, without leaking and without leaving half a frame behind. */
    private static void assertRefused(Frame frame, String messagePart) {
        assertThatIllegalArgumentException().isThrownBy(() -> FrameCodec.encode(ByteBufAllocator.DEFAULT, frame))
                .withMessageContaining(messagePart);

        ByteBuf out = Bytes.buffer(bytes(0x01, 0x02));
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> FrameCodec.encode(frame, out))
                    .withMessageContaining(messagePart);
            assertThat(ByteBufUtil.getBytes(out)).as("buffer content after a refused frame")
                    .isEqualTo(bytes(0x01, 0x02));
        } finally {
            out.release();
        }

        EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
        assertThatThrownBy(() -> channel.writeOutbound(frame)).isInstanceOf(EncoderException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(channel.finish()).isFalse(); // nothing was written
    }
}
