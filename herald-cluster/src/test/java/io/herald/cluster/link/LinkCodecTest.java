package io.herald.cluster.link;

import static io.herald.cluster.link.TestMessages.qos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.link.wire.HandshakeFrame;
import io.herald.cluster.link.wire.LinkCodec;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkFrameDecoder;
import io.herald.cluster.link.wire.LinkFrameEncoder;
import io.herald.cluster.link.wire.LinkFrameType;
import io.herald.cluster.link.wire.LinkRequest;
import io.herald.cluster.link.wire.LinkResponse;
import io.herald.cluster.link.wire.LinkWire;
import io.herald.cluster.link.wire.MalformedLinkFrameException;
import io.herald.core.push.PushResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import io.herald.core.message.PushMessage;
import io.herald.protocol.Qos;
import io.herald.protocol.ContentType;
import io.herald.core.push.HandedOver;
import io.herald.core.push.DevicePush;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Frames to bytes and back, without a network: every type, fragmented input, and bodies that lie. */
class LinkCodecTest {
    private static final int MAX = LinkSettings.DEFAULT_MAX_FRAME_LENGTH;

    @RegisterExtension
    static final NettyLeaks leaks = new NettyLeaks();

    static Stream<LinkFrame> everyFrameType() {
        byte[] nonce = new byte[LinkWire.NONCE_LENGTH];
        Arrays.fill(nonce, (byte) 7);
        RecordingEndpoint sessions = new RecordingEndpoint("gw-9");
        return Stream.of(
                new HandshakeFrame.Challenge("gw-9", nonce),
                new HandshakeFrame.Auth("api-1", new byte[32]),
                HandshakeFrame.AuthOk.INSTANCE,
                LinkError.ofConnection(LinkErrorCode.AUTH_FAILED, "the cluster secret does not match"),
                new LinkError(12, LinkErrorCode.REQUEST_FAILED, "boom"),
                new LinkRequest.HandOver(1, List.of(new DevicePush(qos1(5), List.of("a", "b:c@d", "é-ü")),
                        new DevicePush(TestMessages.qos0(8), List.of("a", "b")))),
                new LinkRequest.Broadcast(2, TestMessages.qos0(6)),
                new LinkRequest.Kick(3, "device-1", "bye"),
                new LinkRequest.Kick(3, "device-1", null),
                new LinkRequest.Find(4, "device-1"),
                new LinkRequest.OnlineCount(5),
                new LinkRequest.StoreChanged(6, List.of("x", "y")),
                new LinkResponse.Pushed(1, new PushResult(5, 1, 2, 3)),
                new LinkResponse.Kicked(3, true),
                new LinkResponse.Found(4, Optional.of(sessions.session("device-1"))),
                new LinkResponse.Found(4, Optional.empty()),
                new LinkResponse.Counted(5, 42),
                new LinkResponse.Done(6),
                new LinkResponse.HandedOver(1, List.of(new HandedOver(2, List.of("é-ü")), new HandedOver(0, List.of()))));
    }

    @ParameterizedTest
    @MethodSource("everyFrameType")
    void everyFrameSurvivesTheRoundTrip(LinkFrame frame) {
        assertThat(roundTrip(frame)).usingRecursiveComparison().isEqualTo(frame);
    }

    @Test
    void everyTypeIsCovered() {
        assertThat(everyFrameType().map(LinkFrame::type).distinct()).containsExactlyInAnyOrder(LinkFrameType.values());
    }

    @Test
    void theFindExampleOfTheDocsIsByteForByteWhatIsSent() {
        ByteBuf bytes = encode(new LinkRequest.Find(7, "sensor-1"));
        try {
            assertThat(ByteBufUtil.hexDump(bytes)).isEqualTo("00000014" + "02" + "04" + "0000000000000007"
                    + "0008" + "73656e736f722d31");
        } finally {
            bytes.release();
        }
    }

    @Test
    void framesArrivingByteByByteAreReassembled() {
        EmbeddedChannel channel = new EmbeddedChannel();
        new LinkCodec(MAX).addTo(channel.pipeline());
        LinkFrame frame = new LinkRequest.HandOver(9, TestMessages.pushOf(qos1(9), List.of("device-1", "device-2")));
        ByteBuf bytes = encode(frame);
        try {
            while (bytes.isReadable()) {
                channel.writeInbound(bytes.readRetainedSlice(1));
            }
        } finally {
            bytes.release();
        }

        assertThat((Object) channel.readInbound()).usingRecursiveComparison().isEqualTo(frame);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void trailingBytesAreMalformed() {
        ByteBuf bytes = encode(new LinkResponse.Counted(1, 2));
        bytes.writeByte(0);
        bytes.setInt(0, bytes.readableBytes() - LinkWire.LENGTH_FIELD_LENGTH);
        assertMalformed(bytes, "bytes after its body");
    }

    @Test
    void aHandOverCutShortOrWithBytesAfterItsIdsIsMalformed() {
        ByteBuf cut = encode(new LinkRequest.HandOver(1, TestMessages.pushOf(qos1(2), List.of("device-1"))));
        cut.writerIndex(cut.writerIndex() - 3);
        cut.setInt(0, cut.readableBytes() - LinkWire.LENGTH_FIELD_LENGTH);
        assertMalformed(cut, "runs past the end");

        ByteBuf longer = encode(new LinkRequest.HandOver(1, TestMessages.pushOf(qos1(2), List.of("device-1"))));
        longer.writeByte(1);
        longer.setInt(0, longer.readableBytes() - LinkWire.LENGTH_FIELD_LENGTH);
        assertMalformed(longer, "HAND_OVER has 1 bytes after its body");
    }

    @Test
    void aHandOverOfNoPushOrOfMoreThanAFramesWorthIsMalformed() {
        ByteBuf none = encode(new LinkRequest.HandOver(1, TestMessages.pushOf(qos1(2), List.of("device-1"))));
        none.setInt(LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH, 0);
        assertMalformed(none, "push count 0");

        ByteBuf many = encode(new LinkRequest.HandOver(1, TestMessages.pushOf(qos1(2), List.of("device-1"))));
        many.setInt(LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH, Integer.MAX_VALUE);
        assertMalformed(many, "does not fit the body");
    }

    @Test
    void pushesAreCutIntoFramesByCountAndBySize() {
        List<DevicePush> small = IntStream.range(0, 2_500)
                .mapToObj(i -> new DevicePush(qos1(i), List.of("device-" + i))).toList();
        assertThat(LinkRequest.HandOver.frames(small)).extracting(List::size).containsExactly(1_000, 1_000, 500);

        PushMessage large = new PushMessage(1, ContentType.BINARY, Qos.AT_LEAST_ONCE, new byte[400 * 1024], null,
                1, 2);
        List<DevicePush> big = List.of(new DevicePush(large, List.of("a")), new DevicePush(large, List.of("b")),
                new DevicePush(large, List.of("c")));
        assertThat(LinkRequest.HandOver.frames(big)).extracting(List::size).containsExactly(2, 1);
        assertThat(LinkRequest.HandOver.frames(small.subList(0, 1))).extracting(List::size).containsExactly(1);
    }

    @Test
    void anIdCountBeyondTheBodyIsMalformedBeforeAnythingIsAllocated() {
        ByteBuf bytes = encode(new LinkRequest.StoreChanged(1, List.of("a")));
        bytes.setInt(LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH, Integer.MAX_VALUE);
        assertMalformed(bytes, "does not fit the body");
    }

    @Test
    void aFlagByteOtherThanZeroOrOneIsMalformed() {
        ByteBuf bytes = encode(new LinkResponse.Kicked(1, true));
        bytes.setByte(LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH, 2);
        assertMalformed(bytes, "0 or 1");
    }

    @Test
    void aShortNonceIsMalformed() {
        assertMalformed(encode(new HandshakeFrame.Challenge("gw-1", new byte[8])), "nonce must be 32 bytes");
    }

    @Test
    void aStringLongerThanTheBodyIsMalformed() {
        ByteBuf bytes = encode(new LinkRequest.Find(1, "device-1"));
        bytes.setShort(LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH, 500);
        assertMalformed(bytes, "runs past the end");
    }

    @Test
    void aClientIdThatDoesNotFitIsRefusedWhenEncodingAndNothingIsWritten() {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            out.writeByte(1);
            assertThatThrownBy(() -> LinkFrameEncoder.encode(
                    new LinkRequest.StoreChanged(1, List.of("x".repeat(256))), out, MAX))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-255");
            assertThat(out.readableBytes()).isEqualTo(1);
        } finally {
            out.release();
        }
    }

    private static LinkFrame roundTrip(LinkFrame frame) {
        ByteBuf bytes = encode(frame);
        try {
            assertThat(bytes.readInt()).isEqualTo(bytes.readableBytes());
            return LinkFrameDecoder.decode(bytes);
        } finally {
            bytes.release();
        }
    }

    private static ByteBuf encode(LinkFrame frame) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        LinkFrameEncoder.encode(frame, out, MAX);
        return out;
    }

    private static void assertMalformed(ByteBuf bytes, String reason) {
        try {
            bytes.skipBytes(LinkWire.LENGTH_FIELD_LENGTH);
            assertThatThrownBy(() -> LinkFrameDecoder.decode(bytes))
                    .isInstanceOf(MalformedLinkFrameException.class).hasMessageContaining(reason);
        } finally {
            bytes.release();
        }
    }
}
