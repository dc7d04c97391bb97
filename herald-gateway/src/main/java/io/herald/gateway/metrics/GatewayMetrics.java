package io.herald.gateway.metrics;

import io.herald.gateway.limit.ConnectionCapacity;
import io.herald.gateway.session.ChannelRegistry;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.util.EnumMap;
import java.util.Map;

/**
 * The gateway's meters, created once so the hot paths only increment pre-built counters. Names follow
 * Prometheus conventions (Micrometer adds {@code _total} to counters).
 */
public final class GatewayMetrics {
    private static final String DEVICE_AUTHS = "AUTH frames on device connections, by result (HTTP logins are"
            + " herald_http_logins_total)";
    private static final String DOWNSTREAM_DROPPED = "Messages not sent to a device, by reason: unwritable (QoS 0, the"
            + " device could not keep up), too_large (the packet exceeds the device's MQTT 5 Maximum Packet Size)";
    private static final String UPSTREAM_MESSAGES = "Upstream messages by handling result: ok, rejected, retry";
    private static final String LIMITED = "Messages and connections refused, and connections closed, by an abuse"
            + " limit";
    private final Map<FrameType, Counter> framesIn = new EnumMap<>(FrameType.class);
    private final Map<FrameType, Counter> framesOut = new EnumMap<>(FrameType.class);
    private final Map<ErrorCode, Counter> protocolErrors = new EnumMap<>(ErrorCode.class);
    private final Counter authOk;
    private final Counter authFailed;
    private final Counter takeovers;
    private final Counter downstreamAcks;
    private final Counter downstreamRetries;
    private final Counter downstreamDroppedUnwritable;
    private final Counter downstreamDroppedTooLarge;
    private final Counter offlineStored;
    private final Counter offlineDelivered;
    private final Counter upstreamAccepted;
    private final Counter upstreamRejected;
    private final Counter upstreamFailed;
    private final Counter upstreamRateRefused;
    private final Counter upstreamRateClosed;
    private final Counter connectionsRefusedForAddress;
    private final Counter connectionsRefusedAtCapacity;
    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry, ChannelRegistry channels) {
        this.registry = registry;
        for (FrameType type : FrameType.values()) {
            framesIn.put(type, Counter.builder("herald.frames.in").tag("type", type.name())
                    .description("Frames received from devices").register(registry));
            framesOut.put(type, Counter.builder("herald.frames.out").tag("type", type.name())
                    .description("Frames sent to devices").register(registry));
        }
        for (ErrorCode code : ErrorCode.values()) {
            protocolErrors.put(code, Counter.builder("herald.protocol.errors").tag("code", code.name())
                    .description("Connections closed with an ERROR frame").register(registry));
        }
        Gauge.builder("herald.connections", channels, ChannelRegistry::size)
                .description("Authenticated device connections on this gateway").register(registry);
        // Not "logins": those are the HTTP API's (herald_http_logins_total); this is the AUTH frame on a connection.
        authOk = Counter.builder("herald.device.auths").tag("result", "ok")
                .description(DEVICE_AUTHS).register(registry);
        authFailed = Counter.builder("herald.device.auths").tag("result", "failed")
                .description(DEVICE_AUTHS).register(registry);
        takeovers = Counter.builder("herald.takeovers")
                .description("Sessions closed because the same client id connected again").register(registry);
        downstreamAcks = Counter.builder("herald.downstream.acks")
                .description("QoS 1 messages acked by devices").register(registry);
        downstreamRetries = Counter.builder("herald.downstream.retries")
                .description("QoS 1 messages sent again for lack of an ack").register(registry);
        downstreamDroppedUnwritable = Counter.builder("herald.downstream.dropped")
                .tag("reason", "unwritable")
                .description(DOWNSTREAM_DROPPED).register(registry);
        downstreamDroppedTooLarge = Counter.builder("herald.downstream.dropped")
                .tag("reason", "too_large")
                .description(DOWNSTREAM_DROPPED).register(registry);
        offlineStored = Counter.builder("herald.offline.stored")
                .description("QoS 1 messages stored for a device not taking them live: pushed while it was offline (counted by the"
                        + " API), spilled from a full queue or left unacked at a disconnect (counted by the gateway)")
                .register(registry);
        offlineDelivered = Counter.builder("herald.offline.delivered")
                .description("Stored QoS 1 messages read back from the offline store and acked by the device")
                .register(registry);
        // Every meter of a name carries the description: Prometheus shows one HELP per name, from any of them.
        upstreamAccepted = Counter.builder("herald.upstream.messages").tag("result", "ok")
                .description(UPSTREAM_MESSAGES).register(registry);
        upstreamRejected = Counter.builder("herald.upstream.messages").tag("result", "rejected")
                .description(UPSTREAM_MESSAGES).register(registry);
        upstreamFailed = Counter.builder("herald.upstream.messages").tag("result", "retry")
                .description(UPSTREAM_MESSAGES).register(registry);
        upstreamRateRefused = Counter.builder("herald.limited").tag("limit", "upstream_rate").tag("action", "refused")
                .description(LIMITED).register(registry);
        upstreamRateClosed = Counter.builder("herald.limited").tag("limit", "upstream_rate").tag("action", "closed")
                .description(LIMITED).register(registry);
        connectionsRefusedAtCapacity = Counter.builder("herald.limited").tag("limit", "connections")
                .tag("action", "refused").description(LIMITED).register(registry);
        connectionsRefusedForAddress = Counter.builder("herald.limited").tag("limit", "connections_per_address")
                .tag("action", "refused").description(LIMITED).register(registry);
        Gauge.builder("herald.netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                .baseUnit("bytes").description("Direct memory Netty holds").register(registry);
        Gauge.builder("herald.netty.direct.memory.max", PlatformDependent::maxDirectMemory)
                .baseUnit("bytes").description("The most direct memory Netty may hold (-XX:MaxDirectMemorySize or"
                        + " -Dio.netty.maxDirectMemory); past it allocations fail").register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge.builder("herald.netty.allocator.direct.memory", provider,
                            p -> p.metric().usedDirectMemory())
                    .baseUnit("bytes").description("Direct memory in Netty's default allocator").register(registry);
            Gauge.builder("herald.netty.allocator.heap.memory", provider, p -> p.metric().usedHeapMemory())
                    .baseUnit("bytes").description("Heap memory in Netty's default allocator").register(registry);
        }
    }

    public void frameIn(FrameType type) {
        framesIn.get(type).increment();
    }

    public void frameOut(FrameType type) {
        framesOut.get(type).increment();
    }

    public void protocolError(ErrorCode code) {
        protocolErrors.get(code).increment();
    }

    public void authSucceeded() {
        authOk.increment();
    }

    public void authFailed() {
        authFailed.increment();
    }

    public void takeover() {
        takeovers.increment();
    }

    public void downstreamAcked() {
        downstreamAcks.increment();
    }

    public void downstreamRetried() {
        downstreamRetries.increment();
    }

    public void droppedUnwritable() {
        downstreamDroppedUnwritable.increment();
    }

    public void droppedTooLarge() {
        downstreamDroppedTooLarge.increment();
    }

    public void offlineStored(int count) {
        offlineStored.increment(count);
    }

    public void offlineDelivered() {
        offlineDelivered.increment();
    }

    public void upstreamAccepted() {
        upstreamAccepted.increment();
    }

    public void upstreamRejected() {
        upstreamRejected.increment();
    }

    public void upstreamRetry() {
        upstreamFailed.increment();
    }

    /** A MESSAGE over its connection's upstream rate was not handled (ACK RETRY, or dropped at QoS 0). */
    public void upstreamRateRefused() {
        upstreamRateRefused.increment();
    }

    /** A connection kept sending over its upstream rate and was closed. */
    public void upstreamRateClosed() {
        upstreamRateClosed.increment();
    }

    /** A connection was refused at accept: the gateway held its maximum of connections. */
    public void connectionRefusedAtCapacity() {
        connectionsRefusedAtCapacity.increment();
    }

    /** Publishes the gateway's connection limit and how much of it is taken (sockets, authenticated or not). */
    public void connectionCapacity(ConnectionCapacity capacity) {
        Gauge.builder("herald.connections.limit", capacity, ConnectionCapacity::max)
                .description("Device connections this gateway accepts at once (--max-connections)")
                .register(registry);
        Gauge.builder("herald.connections.open", capacity, ConnectionCapacity::open)
                .description("Device sockets open against that limit, authenticated or not").register(registry);
    }

    /** A connection was refused at accept: its address had the maximum open. */
    public void connectionRefusedForAddress() {
        connectionsRefusedForAddress.increment();
    }
}
