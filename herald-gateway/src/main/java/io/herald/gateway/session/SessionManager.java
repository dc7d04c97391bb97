package io.herald.gateway.session;

import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionEvents;
import io.herald.core.session.SessionInfo;
import io.herald.gateway.delivery.DownstreamQueue;
import io.herald.gateway.delivery.OfflineStorage;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The life of authenticated sessions on this gateway: binding a client id to its channel (taking over an
 * older connection of the same id), starting delivery once any earlier session's messages are safely stored,
 * and unbinding plus handing undelivered messages to the store when a connection closes. Also answers
 * "who is online" for the API.
 */
public final class SessionManager implements SessionDirectory {
    private static final Logger connects = LoggerFactory.getLogger("herald.event.connect");
    private static final Logger disconnects = LoggerFactory.getLogger("herald.event.disconnect");

    private final String gatewayId;
    private final ChannelRegistry registry;
    private final OfflineStorage offline;
    private final DownstreamQueue.Limits limits;
    private final Duration heartbeat;
    private final GatewayMetrics metrics;
    private final Disconnector disconnector;
    private final Clock clock;
    private final SessionEvents events;

    public SessionManager(String gatewayId, ChannelRegistry registry, OfflineStorage offline,
                          DownstreamQueue.Limits limits, Duration heartbeat, GatewayMetrics metrics,
                          Disconnector disconnector, Clock clock, SessionEvents events) {
        this.gatewayId = gatewayId;
        this.registry = registry;
        this.offline = offline;
        this.limits = limits;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        this.disconnector = disconnector;
        this.clock = clock;
        this.events = events;
    }

    /** AUTH succeeded for the channel's session: bind, answer AUTH_OK, take over, start delivery. Event loop. */
    public void authenticated(DeviceSession session, String clientId) {
        Channel channel = session.channel();
        DownstreamQueue downstream = new DownstreamQueue(channel, clientId, limits, offline, metrics, clock,
                this::storeChanged);
        session.authenticate(clientId, clock.instant(), downstream);
        metrics.authSucceeded();
        // Bound before AUTH_OK goes out: a push the device's application sends once it sees "connected" must find
        // it here (a QoS 0 push would otherwise be dropped as offline). A push that finds it now is handed to this
        // event loop, so its MESSAGE still follows AUTH_OK on the wire.
        Channel previous = registry.register(clientId, channel);
        channel.writeAndFlush(new AuthOkFrame(heartbeat.toMillis(), clientId, session.sessionId()),
                channel.voidPromise());
        try (MDC.MDCCloseable ignored = MDC.putCloseable("clientId", clientId)) {
            connects.info("{} connected over {}", session.logPrefix(), session.transport());
        }
        CompletableFuture<Void> earlierSessionStored;
        if (previous != null && previous != channel) {
            metrics.takeover();
            DeviceSession old = DeviceSession.of(previous);
            earlierSessionStored = old.handedOff().handle((ok, error) -> null);
            disconnector.closeWith(previous, NoticeFrame.kicked("session taken over by a new connection"),
                    "taken over by session " + session.sessionId());
        } else {
            earlierSessionStored = registry.awaitHandOff(clientId);
        }
        // Delivery reads the offline store first, so it starts only once the earlier session's messages are in
        // it and this session is published: from then on, a push elsewhere finds the device here.
        CompletableFuture<Void> published = events.connected(clientId, session.sessionId()).toCompletableFuture()
                .handle((ok, error) -> null);
        CompletableFuture<Void> ready = CompletableFuture.allOf(earlierSessionStored, published);
        ready.whenComplete((ok, error) -> channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                downstream.start();
            }
        }));
    }

    /** The channel closed: unbind it and hand its undelivered messages to the store. Event loop. */
    public void closed(DeviceSession session) {
        if (!session.isAuthenticated()) {
            session.handedOff().complete(null);
            return;
        }
        String clientId = session.clientId();
        CompletableFuture<Void> handOff = session.downstream().close();
        registry.unregister(clientId, session.channel(), handOff);
        events.disconnected(clientId, session.sessionId());
        handOff.whenComplete((ok, error) -> session.handedOff().complete(null));
        try (MDC.MDCCloseable ignored = MDC.putCloseable("clientId", clientId)) {
            disconnects.info("{} disconnected", session.logPrefix());
        }
    }

    /** Something was stored for the client behind its session's back: its current session reads the store again. */
    public void storeChanged(String clientId) {
        Channel channel = registry.find(clientId);
        if (channel != null) {
            channel.eventLoop().execute(() -> {
                DownstreamQueue downstream = DeviceSession.of(channel).downstream();
                if (downstream != null) {
                    downstream.storeChanged();
                }
            });
        }
    }

    @Override
    public Optional<SessionInfo> find(String clientId) {
        Channel channel = registry.find(clientId);
        return channel == null ? Optional.empty() : Optional.of(DeviceSession.of(channel).info(gatewayId));
    }

    @Override
    public boolean kick(String clientId, String reason) {
        Channel channel = registry.find(clientId);
        if (channel == null) {
            return false;
        }
        disconnector.closeWith(channel, NoticeFrame.kicked(reason), "kicked: " + reason);
        return true;
    }

    /**
     * Closes the client's connection only if it is still session {@code sessionId}: another gateway took the
     * device over, and a newer connection here must survive a late notice about an older one.
     */
    public boolean kickSession(String clientId, String sessionId, String reason) {
        Channel channel = registry.find(clientId);
        if (channel == null || !sessionId.equals(DeviceSession.of(channel).sessionId())) {
            return false;
        }
        disconnector.closeWith(channel, NoticeFrame.kicked(reason), "kicked: " + reason);
        return true;
    }

    /** Every authenticated session on this gateway now, e.g. to publish them again after the session map was lost. */
    public List<SessionInfo> activeSessions() {
        List<SessionInfo> active = new ArrayList<>();
        for (Channel channel : registry.channels()) {
            DeviceSession session = DeviceSession.of(channel);
            if (session != null && session.isAuthenticated()) {
                active.add(session.info(gatewayId));
            }
        }
        return active;
    }

    @Override
    public int onlineCount() {
        return registry.size();
    }
}
