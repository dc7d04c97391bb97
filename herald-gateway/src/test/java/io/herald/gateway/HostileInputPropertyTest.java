package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.codec.ProtocolException;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.FrameArbitraries;
import io.herald.protocol.testing.FramingModel;
import io.herald.protocol.testing.Mutations;
import io.herald.protocol.testing.Mutations.Edit;
import io.herald.protocol.testing.Mutations.LengthLie;
import io.herald.protocol.testing.NoLeaks;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;
import org.slf4j.LoggerFactory;

/**
 * Hostile byte streams through the whole device pipeline, TCP and WebSocket, on real event loops
 * ({@link LocalDeviceServer}): arbitrary bytes and damaged valid frames of every type, before and after AUTH, and
 * over WebSocket, arbitrary frames (text, binary with garbage, reserved opcodes and bits, unmasked, oversized,
 * fragmented, lying lengths) around damaged Herald frames, all in arbitrary reads. For every input:
 * <ul>
 *   <li>the connection stays open only if the input kept to the protocol ({@link DeviceSessionModel},
 *       {@link WebSocketWire#model}); otherwise the gateway closes it, and its last words are an ERROR or AUTH_FAIL
 *       frame (or a WebSocket close frame), with the code the protocol prescribes where timing does not decide it;
 *   <li>no exception reaches the end of the pipeline and nothing is logged at WARN or above (the gateway's
 *       {@code ExceptionHandler} logs unexpected errors there and answers INTERNAL_ERROR, counted in the
 *       {@code herald.protocol.errors} metric, which must stay at zero);
 *   <li>no buffer leaks (PARANOID leak detection, {@link NoLeaks}).
 * </ul>
 */
@AddLifecycleHook(NoLeaks.class)
class HostileInputPropertyTest {
    /** Connections per property: about as long as the decoder's 10,000 inputs, each being a whole session. */
    static final int TRIES = 1_500;
    /** Small, so that FRAME_TOO_LARGE and oversized WebSocket frames are cheap to reach. */
    private static final int MAX_BODY = 256;
    private static final int WS_MAX_PAYLOAD = MAX_BODY + 64;
    /** As long as a real token (32 random bytes in Base64url); replaced by a fresh valid token in every try. */
    private static final String VALID_TOKEN = "valid-token-placeholder-0123456789abcdefghi";
    private static final AtomicLong DEVICES = new AtomicLong();

    private final EmbeddedGateway gateway = new EmbeddedGateway(GatewaySettings.defaults("gw-hostile")
            // An auth timeout longer than any try: a connection that should have been closed must not be closed
            // by the timer instead.
            .withTimings(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(1))
            .withLimits(MAX_BODY, GatewaySettings.DEFAULT_MAX_INFLIGHT, GatewaySettings.DEFAULT_MAX_QUEUED,
                    GatewaySettings.DEFAULT_MAX_DELIVERY_ATTEMPTS));
    private final LocalDeviceServer server;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    HostileInputPropertyTest() throws InterruptedException {
        server = new LocalDeviceServer(gateway.core);
        log.start();
        root.addAppender(log);
    }

    @AfterProperty
    void stop() {
        root.detachAppender(log);
        server.close();
        gateway.close();
    }

    @Property(tries = TRIES)
    void tcpBeforeAuth(@ForAll("deviceStreams") Stream stream, @ForAll("reads") List<Integer> cuts)
            throws InterruptedException {
        tcp(stream, cuts, false);
        // Mostly refused (anything but a valid AUTH first is), but the rest of the pipeline is reached too.
        Statistics.coverage(coverage -> coverage.check("open").percentage(p -> p > 2));
    }

    @Property(tries = TRIES)
    void tcpAfterAuth(@ForAll("deviceStreams") Stream stream, @ForAll("reads") List<Integer> cuts)
            throws InterruptedException {
        tcp(stream, cuts, true);
        Statistics.coverage(coverage -> {
            coverage.check("open").percentage(p -> p > 20);
            coverage.check("closed").percentage(p -> p > 20);
        });
    }

    @Property(tries = TRIES)
    void webSocket(@ForAll("webSocketStreams") List<WsPiece> pieces, @ForAll("wsEdits") List<Edit> edits,
                   @ForAll("reads") List<Integer> cuts, @ForAll boolean authenticateFirst)
            throws InterruptedException {
        String clientId = "ws-" + DEVICES.incrementAndGet();
        String token = gateway.tokenFor(clientId);
        LocalDeviceServer.Device device = server.connectWebSocket();
        try {
            assertThat(device.write(WebSocketWire.upgradeRequest(gateway.settings.wsPath()))).isTrue();
            assertThat(device.awaitReceived(b -> httpHeadLength(b) > 0)).as("upgrade answered").isTrue();
            assertThat(new String(device.received(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
            int headLength = httpHeadLength(device.received());
            if (authenticateFirst) {
                byte[] auth = Codec.encodeUntracked(new AuthFrame(token));
                device.write(WebSocketWire.clientFrame(true, 0, WebSocketWire.BINARY, true, 0x1234_5678, auth, -1));
                assertThat(device.awaitReceived(b -> heraldOutput(webSocketPayloads(b, headLength)).stream()
                        .anyMatch(AuthOkFrame.class::isInstance))).as("AUTH_OK").isTrue();
            }
            byte[] input = webSocketBytes(pieces, edits, token);
            WebSocketWire.ClientStream ws = WebSocketWire.model(input, WS_MAX_PAYLOAD);
            DeviceSessionModel herald = DeviceSessionModel.judge(Codec.decode(MAX_BODY, ws.heraldBytes()),
                    authenticateFirst, token);
            boolean acceptable = !ws.ended() && herald.acceptable();
            feed(device, input, cuts);

            if (!acceptable) {
                assertThat(device.awaitClosed()).as("closed").isTrue();
            }
            if (!device.isOpen() && !(herald.mayEndQuietly() && !ws.ended() && endedQuietly(herald,
                    heraldOutput(webSocketPayloads(device.received(), headLength))))) {
                List<WebSocketWire.ServerFrame> frames =
                        WebSocketWire.serverFrames(Arrays.copyOfRange(device.received(), headLength,
                                device.received().length));
                assertThat(frames).as("the gateway's last words").isNotEmpty();
                WebSocketWire.ServerFrame last = frames.get(frames.size() - 1);
                if (last.opcode() != WebSocketWire.CLOSE) {
                    assertThat(last.opcode()).isEqualTo(WebSocketWire.BINARY);
                    assertLastWords(heraldOutput(webSocketPayloads(device.received(), headLength)),
                            ws.ended() ? null : herald.expectedCode());
                }
            }
            Statistics.collect(device.isOpen() ? "open" : ws.ended() ? "closed: WebSocket rules" : "closed: Herald");
            Statistics.coverage(coverage -> {
                coverage.check("open").percentage(p -> p > 10);
                coverage.check("closed: WebSocket rules").percentage(p -> p > 10);
                coverage.check("closed: Herald").percentage(p -> p > 10);
            });
        } finally {
            device.close();
        }
        assertNothingWentWrong();
    }

    private void tcp(Stream stream, List<Integer> cuts, boolean authenticateFirst) throws InterruptedException {
        String clientId = "tcp-" + DEVICES.incrementAndGet();
        String token = gateway.tokenFor(clientId);
        LocalDeviceServer.Device device = server.connectTcp();
        try {
            if (authenticateFirst) {
                device.write(Codec.encodeUntracked(new AuthFrame(token)));
                assertThat(device.awaitReceived(b -> heraldOutput(b).stream()
                        .anyMatch(AuthOkFrame.class::isInstance))).as("AUTH_OK").isTrue();
            }
            byte[] input = stream.bytes(token);
            DeviceSessionModel model = DeviceSessionModel.judge(Codec.decode(MAX_BODY, input), authenticateFirst,
                    token);
            feed(device, input, cuts);

            if (!model.acceptable()) {
                assertThat(device.awaitClosed()).as("closed").isTrue();
            }
            if (!device.isOpen() && !endedQuietly(model, heraldOutput(device.received()))) {
                assertLastWords(heraldOutput(device.received()), model.expectedCode());
            }
            Statistics.collect(device.isOpen() ? "open" : "closed");
        } finally {
            device.close();
        }
        assertNothingWentWrong();
    }

    private static void feed(LocalDeviceServer.Device device, byte[] input, List<Integer> cuts)
            throws InterruptedException {
        int from = 0;
        for (int cut : Mutations.cuts(cuts, input.length)) {
            if (!device.write(Arrays.copyOfRange(input, from, cut))) {
                return;
            }
            from = cut;
        }
        device.write(Arrays.copyOfRange(input, from, input.length));
    }

    /** The device's own ERROR ended the session, and the gateway closed without a last ERROR or AUTH_FAIL. */
    private static boolean endedQuietly(DeviceSessionModel model, List<Frame> output) {
        if (!model.mayEndQuietly()) {
            return false;
        }
        Frame last = output.isEmpty() ? null : output.get(output.size() - 1);
        return !(last instanceof ErrorFrame || last instanceof AuthFailFrame);
    }

    /** A deliberate close: the last frame is ERROR or AUTH_FAIL, with {@code expected} (when known) as its code. */
    private static void assertLastWords(List<Frame> output, ErrorCode expected) {
        assertThat(output).as("the gateway's last words").isNotEmpty();
        Frame last = output.get(output.size() - 1);
        assertThat(last).isInstanceOfAny(ErrorFrame.class, AuthFailFrame.class);
        ErrorCode code = last instanceof ErrorFrame error ? error.code() : ((AuthFailFrame) last).code();
        assertThat(code).isNotIn(ErrorCode.INTERNAL_ERROR, ErrorCode.SERVER_BUSY, ErrorCode.AUTH_TIMEOUT);
        if (expected != null) {
            assertThat(code).as("ERROR code, frames written: %s", output).isEqualTo(expected);
        }
    }

    private void assertNothingWentWrong() {
        double internalErrors = gateway.meters.get("herald.protocol.errors")
                .tag("code", ErrorCode.INTERNAL_ERROR.name()).counter().count();
        assertThat(internalErrors).as("connections closed with INTERNAL_ERROR").isZero();
        List<ILoggingEvent> warnings = log.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertThat(warnings).as("warnings and errors logged").isEmpty();
        log.list.clear();
    }

    /** Herald frames in what the gateway wrote; it must only ever write whole, well-formed frames. */
    private static List<Frame> heraldOutput(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        int pos = 0;
        while (bytes.length - pos >= Wire.HEADER_LENGTH) {
            int length = (int) FramingModel.bodyLength(bytes, pos);
            if (bytes.length - pos < Wire.HEADER_LENGTH + length) {
                break; // still arriving
            }
            try {
                frames.add(FrameCodec.decodeBody(bytes[pos + Wire.TYPE_OFFSET] & 0xFF,
                        bytes[pos + Wire.FLAGS_OFFSET] & 0xFF,
                        Unpooled.wrappedBuffer(bytes, pos + Wire.HEADER_LENGTH, length)));
            } catch (ProtocolException e) {
                throw new AssertionError("the gateway wrote a malformed frame", e);
            }
            pos += Wire.HEADER_LENGTH + length;
        }
        return frames;
    }

    /** The payloads of the binary WebSocket frames the gateway wrote after its upgrade answer, concatenated. */
    private static byte[] webSocketPayloads(byte[] received, int headLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] frames = Arrays.copyOfRange(received, headLength, received.length);
        try {
            for (WebSocketWire.ServerFrame frame : WebSocketWire.serverFrames(frames)) {
                if (frame.opcode() == WebSocketWire.BINARY) {
                    out.writeBytes(frame.payload());
                }
            }
        } catch (AssertionError | IndexOutOfBoundsException stillArriving) {
            return new byte[0];
        }
        return out.toByteArray();
    }

    /** The length of the HTTP response head (through the blank line), or 0 while it has not all arrived. */
    private static int httpHeadLength(byte[] received) {
        int end = new String(received, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        return end < 0 ? 0 : end + 4;
    }

    // ---- generators ----

    /** Frames (the valid token standing for the try's real one), length lies and edits: a damaged stream. */
    record Stream(List<Frame> frames, List<LengthLie> lies, List<Edit> edits) {
        byte[] bytes(String token) {
            List<Frame> real = frames.stream()
                    .map(f -> f instanceof AuthFrame a && a.token().equals(VALID_TOKEN) ? new AuthFrame(token) : f)
                    .toList();
            return Mutations.damagedStream(real, lies, edits);
        }
    }

    /** Part of what a client sends over WebSocket. */
    sealed interface WsPiece {
        byte[] bytes(String token);
    }

    /**
     * One WebSocket frame as a client might send it, any rule broken. {@code herald} (when not null) is its payload,
     * else {@code junk}; {@code claimedLength} (when not negative) lies about the payload's length.
     */
    record WsFrame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, Stream herald, byte[] junk,
                   long claimedLength) implements WsPiece {
        @Override
        public byte[] bytes(String token) {
            return WebSocketWire.clientFrame(fin, rsv, opcode, masked, maskKey,
                    herald != null ? herald.bytes(token) : junk, claimedLength);
        }
    }

    /** A binary message by the rules, in one frame or fragmented at {@code fragmentCuts}, around Herald bytes. */
    record BinaryMessage(Stream herald, List<Integer> fragmentCuts, int maskKey) implements WsPiece {
        @Override
        public byte[] bytes(String token) {
            byte[] content = herald.bytes(token);
            int[] cuts = Mutations.cuts(fragmentCuts, content.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : content.length;
                out.writeBytes(WebSocketWire.clientFrame(i == cuts.length, 0,
                        i == 0 ? WebSocketWire.BINARY : WebSocketWire.CONTINUATION, true, maskKey + i,
                        Arrays.copyOfRange(content, from, to), -1));
                from = to;
            }
            return out.toByteArray();
        }
    }

    private static byte[] webSocketBytes(List<WsPiece> pieces, List<Edit> edits, String token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(piece -> out.writeBytes(piece.bytes(token)));
        byte[] bytes = out.toByteArray();
        for (Edit edit : edits) {
            bytes = edit.applyTo(bytes);
        }
        return bytes;
    }

    @Provide
    Arbitrary<Stream> deviceStreams() {
        Arbitrary<List<LengthLie>> lies = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.<LengthLie>of())),
                Tuple.of(1, FrameArbitraries.lengthLies(MAX_BODY).list().ofMinSize(1).ofMaxSize(2)));
        Arbitrary<List<Edit>> edits = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.<Edit>of())),
                Tuple.of(3, FrameArbitraries.edits().list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<Stream> damaged = Combinators.combine(deviceFrames().list().ofMinSize(1).ofMaxSize(5), lies, edits)
                .as(Stream::new);
        // Bytes that are no protocol at all: the frame list is empty, the "edits" insert every byte.
        Arbitrary<Stream> noise = FrameArbitraries.bytes(64).map(HostileInputPropertyTest::noise);
        return Arbitraries.frequencyOf(Tuple.of(5, damaged), Tuple.of(1, noise));
    }

    private static Stream noise(byte[] bytes) {
        List<Edit> inserts = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            inserts.add(new Mutations.Insert(i, bytes[i] & 0xFF));
        }
        return new Stream(List.of(), List.of(), inserts);
    }

    /** What a device sends, mostly, and now and then a frame only the server may send. */
    private static Arbitrary<Frame> deviceFrames() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(new AuthFrame(VALID_TOKEN))),
                Tuple.of(1, FrameArbitraries.strings().map(AuthFrame::new)),
                Tuple.of(3, Arbitraries.just(PingFrame.INSTANCE)),
                Tuple.of(4, FrameArbitraries.messages(64)),
                Tuple.of(2, FrameArbitraries.acks()),
                Tuple.of(1, FrameArbitraries.frames()));
    }

    @Provide
    Arbitrary<List<WsPiece>> webSocketStreams() {
        Arbitrary<Integer> opcodes = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(WebSocketWire.BINARY)),
                Tuple.of(3, Arbitraries.just(WebSocketWire.CONTINUATION)),
                Tuple.of(1, Arbitraries.just(WebSocketWire.TEXT)),
                Tuple.of(1, Arbitraries.just(WebSocketWire.CLOSE)),
                Tuple.of(2, Arbitraries.just(WebSocketWire.PING)),
                Tuple.of(1, Arbitraries.just(WebSocketWire.PONG)),
                Tuple.of(1, Arbitraries.integers().between(0, 15)));
        Arbitrary<Boolean> mostly = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        Arbitrary<Integer> rsv = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 7)));
        Arbitrary<Stream> herald = deviceStreams().injectNull(0.3);
        Arbitrary<byte[]> junk = Arbitraries.frequencyOf(
                Tuple.of(4, FrameArbitraries.bytes(40)),
                Tuple.of(2, FrameArbitraries.strings().map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.integers().between(WS_MAX_PAYLOAD - 2, WS_MAX_PAYLOAD + 40)
                        .map(n -> new byte[n])));
        Arbitrary<Long> claimedLength = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(-1L)),
                Tuple.of(1, Arbitraries.of(0L, 1L, 125L, 126L, 65_535L, 65_536L, (long) WS_MAX_PAYLOAD,
                        WS_MAX_PAYLOAD + 1L, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs().between(0, 400)));
        Arbitrary<WsPiece> frames = Combinators.combine(mostly, rsv, opcodes, mostly, Arbitraries.integers(), herald,
                junk, claimedLength).as(WsFrame::new);
        Arbitrary<WsPiece> messages = Combinators.combine(deviceStreams(),
                Arbitraries.integers().between(0, 1_000).list().ofMaxSize(2), Arbitraries.integers())
                .as(BinaryMessage::new);
        return Arbitraries.frequencyOf(Tuple.of(3, messages), Tuple.of(1, frames)).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Edit>> wsEdits() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.<Edit>of())),
                Tuple.of(1, FrameArbitraries.edits().list().ofMinSize(1).ofMaxSize(2)));
    }

    @Provide
    Arbitrary<List<Integer>> reads() {
        return FrameArbitraries.cutPoints();
    }
}
