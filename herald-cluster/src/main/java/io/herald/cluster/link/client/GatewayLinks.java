package io.herald.cluster.link.client;

import io.herald.cluster.discovery.GatewayDirectory;
import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.wire.LinkCodec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An API node's links to the gateways: one persistent, authenticated connection per gateway, opened when the gateway
 * appears in the membership (or on first use), re-opened when it comes back under the same id from another address
 * or process, and closed when it leaves.
 *
 * <p>Wiring: {@code directory.addListener(links); links.update(directory.membership());}
 */
public final class GatewayLinks implements GatewayDirectory.Listener, AutoCloseable {
    private final String localNodeId;
    private final LinkSettings settings;
    private final LinkCodec codec;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final LinkMetrics metrics;
    private final Map<String, GatewayLink> byGatewayId = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private GatewayLinks(String localNodeId, LinkSettings settings, EventLoopGroup group, boolean ownsGroup,
                         MeterRegistry registry) {
        if (localNodeId == null || localNodeId.isBlank()) {
            throw new IllegalArgumentException("the API node's id is required: gateways log which node linked");
        }
        this.localNodeId = localNodeId;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codec = new LinkCodec(settings.maxFrameLength());
        this.group = Objects.requireNonNull(group, "group");
        this.ownsGroup = ownsGroup;
        this.metrics = new LinkMetrics(registry);
        for (boolean up : new boolean[] {true, false}) {
            Gauge.builder("herald.link.gateways", byGatewayId, links -> count(links, up))
                    .description("Links of this API node to gateways, by state: up (authenticated) or down"
                            + " (connecting, or waiting to reconnect)")
                    .tag("state", up ? "up" : "down")
                    .register(registry);
        }
    }

    private static double count(Map<String, GatewayLink> links, boolean up) {
        return links.values().stream().filter(link -> link.isAuthenticated() == up).count();
    }

    /** Links on an NIO event loop group of their own (two threads), shut down by {@link #close()}. */
    public static GatewayLinks create(String localNodeId, LinkSettings settings) {
        return create(localNodeId, settings, new CompositeMeterRegistry());
    }

    /** Like {@link #create(String, LinkSettings)}, with the links' figures ({@link LinkMetrics}) in {@code registry}. */
    public static GatewayLinks create(String localNodeId, LinkSettings settings, MeterRegistry registry) {
        return new GatewayLinks(localNodeId, settings,
                new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()), true, registry);
    }

    /** Links on the caller's NIO event loop group, which stays the caller's to shut down. */
    public static GatewayLinks create(String localNodeId, LinkSettings settings, EventLoopGroup group) {
        return new GatewayLinks(localNodeId, settings, group, false, new CompositeMeterRegistry());
    }

    /**
     * The link to that gateway, opened now if there is none yet or the gateway moved or restarted.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public GatewayLink link(GatewayNode node) {
        if (closed) {
            throw new IllegalStateException("the gateway links of " + localNodeId + " are closed");
        }
        GatewayLink existing = byGatewayId.get(node.id());
        if (existing != null && sameProcess(existing.node(), node)) {
            return existing;
        }
        return byGatewayId.compute(node.id(), (id, current) -> {
            if (current != null && sameProcess(current.node(), node)) {
                return current;
            }
            if (current != null) {
                current.close();
            }
            return new GatewayLink(node, LinkConnection.open(node, localNodeId, settings, codec, group.next(),
                    metrics.reconnects(node.id())), metrics);
        });
    }

    /** Opens links to the gateways that joined, closes those to gateways that left. */
    public void update(GatewayMembership membership) {
        if (closed) {
            return; // a late event from the directory during shutdown
        }
        byGatewayId.forEach((id, link) -> {
            if (membership.find(id).isEmpty()) {
                close(id, link);
            }
        });
        membership.nodes().forEach(this::link);
    }

    /** Called by the {@link GatewayDirectory} on its event thread; opening and closing links does not block. */
    @Override
    public void membershipChanged(GatewayMembership previous, GatewayMembership current) {
        update(current);
    }

    /** Closes every link, and the event loop group if it is this object's own. */
    @Override
    public void close() {
        closed = true;
        byGatewayId.forEach(this::close);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void close(String id, GatewayLink link) {
        if (byGatewayId.remove(id, link)) {
            link.close();
        }
    }

    /** Changed connection counts do not matter; a new address or a restart does. */
    private static boolean sameProcess(GatewayNode a, GatewayNode b) {
        return a.host().equals(b.host()) && a.internalPort() == b.internalPort()
                && a.startedAt().equals(b.startedAt());
    }
}
