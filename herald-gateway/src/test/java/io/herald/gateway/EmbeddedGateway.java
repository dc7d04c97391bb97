package io.herald.gateway;

import io.herald.core.device.DeviceIdentity;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.Event;
import io.herald.core.event.Events;
import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.memory.InMemoryUpstreamArchive;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.core.session.SessionEvents;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.tls.DeviceTls;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.codec.ProtocolException;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A {@link GatewayCore} on in-memory stores whose device pipelines run in {@link EmbeddedChannel}s: handler
 * tests without sockets. Frames go in as encoded bytes and come out decoded.
 */
final class EmbeddedGateway implements AutoCloseable {
    final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());
    final InMemoryDeviceStore devices = new InMemoryDeviceStore();
    final InMemoryOfflineStore offline = new InMemoryOfflineStore();
    final InMemoryUpstreamArchive archive = new InMemoryUpstreamArchive();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Every event the gateway told, in order. */
    final List<Event> events = new CopyOnWriteArrayList<>();
    final GatewaySettings settings;
    final GatewayCore core;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    EmbeddedGateway() {
        this(GatewaySettings.defaults("gw-test").withTimings(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(1)));
    }

    EmbeddedGateway(GatewaySettings settings) {
        this(settings, null);
    }

    /** With TLS in front of every device pipeline unless {@code tls} is null. */
    EmbeddedGateway(GatewaySettings settings, DeviceTls tls) {
        this(settings, tls, UnaryOperator.identity());
    }

    /** With the token checks going through {@code authenticator}, given the one over {@link #tokens}. */
    EmbeddedGateway(UnaryOperator<DeviceAuthenticator> authenticator) {
        this(GatewaySettings.defaults("gw-test").withTimings(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(1)), null, authenticator);
    }

    private EmbeddedGateway(GatewaySettings settings, DeviceTls tls, UnaryOperator<DeviceAuthenticator> authenticator) {
        this.settings = settings;
        this.core = new GatewayCore(settings, new GatewayCore.Dependencies(
                authenticator.apply(DeviceAuthenticator.inMemory(tokens)), devices, offline, archive, meters,
                Clock.systemUTC(), Map.of(), SessionEvents.NONE, new Events(settings.gatewayId(), Clock.systemUTC(),
                events::add)), tls);
    }

    EmbeddedChannel connect() {
        EmbeddedChannel channel = new EmbeddedChannel(core.tcpInitializer());
        channels.add(channel);
        return channel;
    }

    /** A connection authenticated as {@code clientId}: its AUTH_OK has been read. */
    EmbeddedChannel online(String clientId) {
        EmbeddedChannel channel = connect();
        send(channel, new AuthFrame(tokenFor(clientId)));
        awaitFrame(channel, AuthOkFrame.class);
        return channel;
    }

    String tokenFor(String clientId) {
        return tokens.issue(new DeviceIdentity(clientId, 0), Duration.ofMinutes(5)).value();
    }

    static void send(EmbeddedChannel channel, Frame... frames) {
        for (Frame frame : frames) {
            channel.writeInbound(FrameCodec.encode(ByteBufAllocator.DEFAULT, frame));
        }
        channel.runPendingTasks();
    }

    /** Decodes every frame the gateway wrote so far. */
    static List<Frame> written(EmbeddedChannel channel) {
        channel.runPendingTasks();
        List<Frame> frames = new ArrayList<>();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            try {
                while (out.isReadable()) {
                    int type = out.getUnsignedByte(out.readerIndex() + Wire.TYPE_OFFSET);
                    int flags = out.getUnsignedByte(out.readerIndex() + Wire.FLAGS_OFFSET);
                    int length = out.getInt(out.readerIndex() + Wire.LENGTH_OFFSET);
                    ByteBuf body = out.slice(out.readerIndex() + Wire.HEADER_LENGTH, length);
                    frames.add(FrameCodec.decodeBody(type, flags, body));
                    out.skipBytes(Wire.HEADER_LENGTH + length);
                }
            } catch (ProtocolException e) {
                throw new AssertionError("gateway wrote a malformed frame", e);
            } finally {
                out.release();
            }
        }
        return frames;
    }

    /** Runs the channel's tasks until a written frame matches; returns it (and drops earlier ones). */
    static <T extends Frame> T awaitFrame(EmbeddedChannel channel, Class<T> type, Predicate<T> condition) {
        List<T> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (Frame frame : written(channel)) {
                if (type.isInstance(frame) && condition.test(type.cast(frame))) {
                    found.add(type.cast(frame));
                }
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    static <T extends Frame> T awaitFrame(EmbeddedChannel channel, Class<T> type) {
        return awaitFrame(channel, type, frame -> true);
    }

    @Override
    public void close() {
        for (EmbeddedChannel channel : channels) {
            channel.finishAndReleaseAll();
        }
        core.close();
    }
}
