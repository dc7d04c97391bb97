package io.herald.gateway.proxy;

import io.herald.gateway.pipeline.HandlerNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * The PROXY protocol (v1 text or v2 binary: nginx's {@code proxy_protocol on}, HAProxy's {@code send-proxy}) on the
 * device listeners, for connections from {@link ProxySources}. A TCP balancer in front of the gateways hides the
 * devices' addresses: every connection would come from the balancer, and the per-address limits
 * ({@code --max-connections-per-address}, the MQTT secret throttle) would count all devices as one source, so one
 * device's wrong secrets would slow every device's secret logins. With the header the gateway counts, logs and
 * reports the device's own address ({@link DeviceAddress}).
 *
 * <p>Threat model: only a trusted peer's header is read; from anyone else the bytes go to the protocol decoder, which
 * refuses them as the garbage they are. A trusted peer may also connect without a header (the balancer's health
 * check, a device on the balancer's host): the first bytes decide, and without a header the peer's own address
 * counts. Reading a header is bounded: at most 12 bytes decide, a v1 header is at most 108 bytes and a v2 header's
 * extensions (TLVs) at most {@link #MAX_TLV_BYTES}; a peer that sends no complete header within the auth timeout is
 * closed, and until the header is read the connection holds no session, timer or limit slot beyond that timeout.
 * Counted in {@code herald_proxy_headers_total} by result: {@code proxied} (the device's address read), {@code local}
 * (a LOCAL header or a source other than TCP over IPv4/IPv6: the peer's address counts), {@code absent} (no header),
 * {@code refused} (malformed, too large, or not complete in time: closed).
 */
public final class ProxyProtocol {
    /** What a v2 header's extensions may hold here: balancers send at most a few hundred bytes (TLS details, ids). */
    static final int MAX_TLV_BYTES = 4096;

    private final ProxySources sources;
    private final Duration headerTimeout;
    final Counter proxied;
    final Counter local;
    final Counter absent;
    final Counter refused;

    private ProxyProtocol(ProxySources sources, Duration headerTimeout, MeterRegistry meters) {
        this.sources = sources;
        this.headerTimeout = headerTimeout;
        this.proxied = counter(meters, "proxied");
        this.local = counter(meters, "local");
        this.absent = counter(meters, "absent");
        this.refused = counter(meters, "refused");
    }

    /** Null when no source is trusted: then no connection's pipeline gets a PROXY stage. */
    public static ProxyProtocol of(ProxySources sources, Duration headerTimeout, MeterRegistry meters) {
        return sources.isEmpty() ? null : new ProxyProtocol(sources, headerTimeout, meters);
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder("herald.proxy.headers").tag("result", result)
                .description("PROXY protocol headers at the start of connections from trusted balancers, by result")
                .register(meters);
    }

    /** Puts the header gate at the very front (before TLS) when the connection's peer is trusted. */
    public void addGateIfTrusted(ChannelPipeline pipeline) {
        if (sources.trusts(pipeline.channel().remoteAddress())) {
            pipeline.addFirst(HandlerNames.PROXY_GATE, new ProxyHeaderGate(this));
        }
    }

    Duration headerTimeout() {
        return headerTimeout;
    }
}
