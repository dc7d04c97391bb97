package io.herald.gateway;

import io.herald.core.device.DeviceIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.security.InMemoryTokenStore;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.SocketFrames;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device that floods PINGs and never reads its socket must not make the gateway queue answers without bound
 * (it used to: about 16 MB of PINGs made 420 MiB of queued PONGs). Real sockets and a real gateway in this JVM, so
 * that Netty's direct memory can be watched while the flood runs.
 */
class PingFloodSocketTest {
    private static final long FLOOD_BYTES = 50L * 1024 * 1024;
    /**
     * The answers queued on the flooding connection: its write buffer's high-water mark (64 KiB) plus what one event
     * loop turn reads and answers before the gateway sees it is over the mark (16 reads), far below the flood.
     */
    private static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    /**
     * Netty's allocator takes direct memory in chunks of megabytes, per event loop: the flooder's loop and the
     * bystander's may each take new ones, so its figure grows in steps that say little about one connection (once
     * 8.8 MB with 4 MiB as the bound, one run in six). The bound stays a fraction of the 50 MiB flood; the queued
     * bytes above are the precise check.
     */
    private static final long MAX_GROWTH_BYTES = 12L * 1024 * 1024;
    /** How often the flood's progress is looked at. */
    private static final Duration STALL = Duration.ofSeconds(1);
    private static final Duration MAX_RUN = Duration.ofSeconds(60);
    private static final byte[] PINGS = pings(64 * 1024);

    private final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());
    private Gateway gateway;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = SocketGateways.start(GatewaySettings.defaults("gw-flood").withPorts("127.0.0.1", 0, 0), tokens);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aDeviceFloodingPingsWithoutReadingIsPausedWithinBoundedMemoryAndOthersAreServed() throws Exception {
        try (Socket flooder = SocketFrames.connect(gateway.tcpPort())) {
            authenticate(flooder, "flooder");
            floodWithoutReading(flooder, PINGS);
        }
    }

    /** Every QoS 1 message is answered with an ACK (OK, or RETRY over the rate limit): answers the device never reads. */
    @Test
    void aDeviceFloodingQos1MessagesWithoutReadingItsAcksIsPausedWithinBoundedMemory() throws Exception {
        try (Socket flooder = SocketFrames.connect(gateway.tcpPort())) {
            authenticate(flooder, "flooder");
            floodWithoutReading(flooder, qos1Messages(64 * 1024));
        }
    }

    /** Netty answers every WebSocket ping with a pong: answers too, which the device never reads. */
    @Test
    void aWebSocketDeviceFloodingWebSocketPingsWithoutReadingIsPausedWithinBoundedMemory() throws Exception {
        try (Socket flooder = SocketFrames.connect(gateway.wsPort())) {
            flooder.getOutputStream().write(WebSocketWire.upgradeRequest(gateway.settings().wsPath()));
            assertThat(SocketGateways.readHttpHead(flooder.getInputStream())).startsWith("HTTP/1.1 101");
            byte[] auth = Codec.encodeUntracked(new AuthFrame(tokens.issue(new DeviceIdentity("flooder", 0), Duration.ofMinutes(5)).value()));
            flooder.getOutputStream().write(WebSocketWire.clientFrame(true, 0, WebSocketWire.BINARY, true, 7, auth, -1));
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.core().registry().find("flooder") != null);
            floodWithoutReading(flooder, webSocketPings(64 * 1024));
        }
    }

    private void floodWithoutReading(Socket flooder, byte[] chunk) throws Exception {
        // Paranoid leak tracking (this build's default) records a stack trace per buffer and would slow the gateway
        // down so much that the flood could never outrun it.
        ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            long[] baseline = directMemory();
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> flood(flooder, chunk, written), "flood");
            writer.setDaemon(true);
            writer.start();

            long peakGrowth = 0;
            long peakQueued = 0;
            boolean paused = false;
            long deadline = System.nanoTime() + MAX_RUN.toNanos();
            // stop early once far over the bound: the old gateway went on to an OutOfMemoryError
            while (writer.isAlive() && System.nanoTime() < deadline && peakGrowth < 16 * MAX_GROWTH_BYTES) {
                long before = written.get();
                Thread.sleep(STALL.toMillis());
                peakGrowth = Math.max(peakGrowth, growth(baseline));
                peakQueued = Math.max(peakQueued, queuedTo("flooder"));
                if (written.get() == before && !readingFrom("flooder")) {
                    paused = true; // the gateway stopped reading, and TCP stopped the writer
                    break;
                }
            }

            // meanwhile another device is served
            try (Socket other = SocketFrames.connect(gateway.tcpPort())) {
                authenticate(other, "bystander");
                SocketFrames.write(other, PingFrame.INSTANCE);
                assertThat(SocketFrames.read(other)).isEqualTo(PongFrame.INSTANCE);
            }
            peakGrowth = Math.max(peakGrowth, growth(baseline));

            assertThat(peakQueued).as("answers queued to the flooder while %d bytes were written", written.get())
                    .isLessThan(MAX_QUEUED_BYTES);
            assertThat(peakGrowth).as("growth of Netty's direct memory while %d bytes were written",
                    written.get()).isLessThan(MAX_GROWTH_BYTES);
            assertThat(paused || !writer.isAlive() && written.get() < FLOOD_BYTES)
                    .as("the flooding connection was paused or closed").isTrue();
        } finally {
            ResourceLeakDetector.setLevel(leakLevel);
        }
    }

    /** Whether the gateway reads from the device's connection (false once it is paused or gone). */
    private boolean readingFrom(String clientId) {
        Channel channel = gateway.core().registry().find(clientId);
        return channel != null && channel.isActive() && channel.config().isAutoRead();
    }

    /** The bytes written to the device's connection that the socket has not taken yet. */
    private long queuedTo(String clientId) {
        Channel channel = gateway.core().registry().find(clientId);
        ChannelOutboundBuffer queued = channel == null ? null : channel.unsafe().outboundBuffer();
        return queued == null ? 0 : queued.totalPendingWriteBytes();
    }

    private void authenticate(Socket socket, String clientId) throws Exception {
        SocketFrames.write(socket, new AuthFrame(tokens.issue(new DeviceIdentity(clientId, 0), Duration.ofMinutes(5)).value()));
        assertThat(SocketFrames.read(socket)).isInstanceOf(AuthOkFrame.class);
    }

    private static void flood(Socket socket, byte[] chunk, AtomicLong written) {
        try {
            OutputStream out = socket.getOutputStream();
            while (written.get() < FLOOD_BYTES) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException closed) {
            // the gateway closed the connection, or the test did
        }
    }

    /** Netty's direct memory: its own counter (where it keeps one) and the default allocator's. */
    private static long[] directMemory() {
        long counted = Math.max(0, PlatformDependent.usedDirectMemory());
        long pooled = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() : 0;
        return new long[] {counted, pooled};
    }

    private static long growth(long[] baseline) {
        long[] now = directMemory();
        return Math.max(now[0] - baseline[0], now[1] - baseline[1]);
    }

    /** QoS 1 TEXT messages with ids counting from 1 and a one-byte payload, about {@code bytes} of them. */
    private static byte[] qos1Messages(int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long id = 1; out.size() < bytes; id++) {
            ByteBuf frame = FrameCodec.encode(UnpooledByteBufAllocator.DEFAULT, new MessageFrame(id, ContentType.TEXT,
                    Qos.AT_LEAST_ONCE, false, null, 1_700_000_000_000L, new byte[] {'x'}));
            out.writeBytes(ByteBufUtil.getBytes(frame));
            frame.release();
        }
        return out.toByteArray();
    }

    /** Masked, empty WebSocket ping frames, as a client must send them. */
    private static byte[] webSocketPings(int bytes) {
        byte[] ping = WebSocketWire.clientFrame(true, 0, WebSocketWire.PING, true, 0x1234_5678, new byte[0], -1);
        return repeat(ping, bytes);
    }

    private static byte[] pings(int bytes) {
        return repeat(new byte[] {0x48, 0x01, 0x04, 0, 0, 0, 0, 0}, bytes);
    }

    private static byte[] repeat(byte[] unit, int bytes) {
        byte[] out = new byte[bytes - bytes % unit.length];
        for (int i = 0; i < out.length; i += unit.length) {
            System.arraycopy(unit, 0, out, i, unit.length);
        }
        return out;
    }

}
