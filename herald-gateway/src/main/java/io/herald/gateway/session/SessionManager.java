package io.herald.gateway.session;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.event.DisconnectReason;
import io.herald.core.event.Events;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionEvents;
import io.herald.core.session.SessionInfo;
import io.herald.gateway.delivery.DeliveryServices;
import io.herald.gateway.delivery.DownstreamQueue;
import io.herald.gateway.delivery.OfflineStorage;
import io.herald.gateway.delivery.SentBefore;
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
import java.util.function.Supplier;
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
    /** Devices whose unacked ids are remembered for their next session's DUPLICATE flags (a few MB at most). */
    private static final int MAX_REMEMBERED_DEVICES = 20_000;

    private final String gatewayId;
    private final ChannelRegistry registry;
    private final Duration heartbeat;
    private final GatewayMetrics metrics;
    private final Disconnector disconnector;
    private final Clock clock;
    private final SessionEvents events;
    /** What the business backend hears of sessions (docs/events.md); not to be confused with {@link #events}. */
    private final Events backendEvents;
    private final SentBefore sentBefore;
    /** What every session's queue shares (with {@link #storedAfterSession} as its callback): one for all of them. */
    private final DeliveryServices delivery;

    public SessionManager(String gatewayId, ChannelRegistry registry, OfflineStorage offline,
                          DownstreamQueue.Limits limits, Duration heartbeat, GatewayMetrics metrics,
                          Disconnector disconnector, Clock clock, SessionEvents events, Events backendEvents) {
        this.gatewayId = gatewayId;
        this.registry = registry;
        this.heartbeat = heartbeat;
        this.metrics = metrics;
        this.disconnector = disconnector;
        this.clock = clock;
        this.events = events;
        this.backendEvents = backendEvents;
        this.sentBefore = new SentBefore(MAX_REMEMBERED_DEVICES);
        this.delivery = new DeliveryServices(limits, offline, metrics, clock, this::storedAfterSession, disconnector,
                backendEvents);
    }

    /**
     * AUTH's token resolved to {@code identity}: bind the channel (taking over an older connection of the id),
     * publish the session, then ask {@code stillValid} whether the token still resolves to it. Only then does the
     * device get AUTH_OK and deliveries. Binding before that second look is what makes a concurrent delete of the
     * device safe: the delete revokes the tokens and then closes the sessions it finds; a session bound before the
     * revocation is found by it, and one whose second look comes after it sees the token gone (docs/reliability.md,
     * "Deleting a device"). Event loop.
     *
     * @return completes on the event loop: true once AUTH_OK went out, false when the token is no longer valid (the
     *     caller answers AUTH_FAIL and closes) or the channel closed meanwhile
     */
    public CompletableFuture<Boolean> authenticated(DeviceSession session, DeviceIdentity identity,
                                                    Supplier<CompletableFuture<Boolean>> stillValid) {
        return authenticated(session, identity, stillValid, false);
    }

    /**
     * As {@link #authenticated(DeviceSession, DeviceIdentity, Supplier)}; with {@code discardStored} (an MQTT clean
     * session) the QoS 1 messages stored for the device before this session began are deleted, after any earlier
     * session's hand-off and before delivery starts, instead of being delivered.
     */
    public CompletableFuture<Boolean> authenticated(DeviceSession session, DeviceIdentity identity,
                                                    Supplier<CompletableFuture<Boolean>> stillValid,
                                                    boolean discardStored) {
        Channel channel = session.channel();
        String clientId = identity.clientId();
        DownstreamQueue downstream = new DownstreamQueue(channel, clientId, delivery, session.receiveLimits());
        session.authenticate(identity, clock.instant(), downstream);
        // Bound before AUTH_OK goes out: a push the device's application sends once it sees "connected" must find
        // it here (a QoS 0 push would otherwise be dropped as offline). Until AUTH_OK the queue holds back what
        // such a push brings, so MESSAGE frames still follow AUTH_OK on the wire.
        Channel previous = registry.register(clientId, channel);
        CompletableFuture<Void> earlierSession;
        if (previous != null && previous != channel) {
            metrics.takeover();
            DeviceSession old = DeviceSession.of(previous);
            earlierSession = old.handedOff().handle((ok, error) -> null);
            disconnector.closeWith(previous, NoticeFrame.kicked("session taken over by a new connection"),
                    "taken over by session " + session.sessionId(), DisconnectReason.TAKEOVER);
        } else {
            earlierSession = registry.awaitHandOff(clientId);
        }
        long sessionStart = clock.millis();
        CompletableFuture<Void> earlierSessionStored = !discardStored ? earlierSession : earlierSession.thenCompose(
                stored -> delivery.offline().discardStoredBefore(clientId, sessionStart)).handle((ok, error) -> null);
        // Published before the second look at the token: a delete on another node finds the session through the
        // session registry. From then on, a push elsewhere finds the device here too.
        CompletableFuture<Boolean> confirmed = events.connected(clientId, session.sessionId()).toCompletableFuture()
                .handle((ok, error) -> null)
                .thenCompose(published -> stillValid.get())
                .exceptionally(error -> false);
        CompletableFuture<Boolean> answered = new CompletableFuture<>();
        confirmed.whenComplete((valid, error) -> channel.eventLoop().execute(() -> {
            if (!channel.isActive() || !Boolean.TRUE.equals(valid)) {
                answered.complete(false);
                return;
            }
            metrics.authSucceeded();
            channel.writeAndFlush(new AuthOkFrame(heartbeat.toMillis(), clientId, session.sessionId()),
                    channel.voidPromise());
            downstream.open();
            try (MDC.MDCCloseable ignored = MDC.putCloseable("clientId", clientId)) {
                connects.info("{} connected over {}", session.logPrefix(), session.transport());
            }
            backendEvents.deviceConnected(clientId, session.sessionId(), session.transport(), session.remoteAddress());
            // Delivery reads the offline store first, so it starts only once the earlier session's messages are
            // in it (and what it sent unacked is remembered). The usual case, no earlier session, takes no extra hop
            // before the first fetch.
            if (earlierSessionStored.isDone()) {
                downstream.start(sentBefore.take(clientId));
            } else {
                earlierSessionStored.whenComplete((ok, failure) -> channel.eventLoop().execute(() -> {
                    if (channel.isActive()) {
                        downstream.start(sentBefore.take(clientId));
                    }
                }));
            }
            answered.complete(true);
        }));
        return answered;
    }

    /** The channel closed: unbind it and hand its undelivered messages to the store. Event loop. */
    public void closed(DeviceSession session) {
        if (!session.isAuthenticated()) {
            session.handedOff().complete(null);
            return;
        }
        String clientId = session.clientId();
        sentBefore.remember(clientId, session.downstream().sentUnacked());
        CompletableFuture<Void> handOff = session.downstream().close();
        registry.unregister(clientId, session.channel(), handOff);
        events.disconnected(clientId, session.sessionId());
        if (session.downstream().isOpen()) { // its device.connected event went out
            backendEvents.deviceDisconnected(clientId, session.sessionId(), session.closeReason(),
                    clock.millis() - session.connectedAtMillis());
        }
        boolean leftInStore = session.downstream().leftInStore();
        handOff.whenComplete((ok, error) -> {
            session.handedOff().complete(null);
            if (leftInStore) {
                storedAfterSession(clientId);
            }
        });
        try (MDC.MDCCloseable ignored = MDC.putCloseable("clientId", clientId)) {
            disconnects.info("{} disconnected", session.logPrefix());
        }
    }

    /**
     * A session of the client here ended leaving messages in the store (or a push reached it after it closed):
     * the client's current session, here or (cluster) at another gateway, reads the store again. A newer session
     * may have read it before they were written: sessions of one device overlap across gateways.
     */
    private void storedAfterSession(String clientId) {
        storeChanged(clientId);
        events.storedAfterSession(clientId);
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
        disconnector.closeWith(channel, NoticeFrame.kicked(reason), "kicked: " + reason, DisconnectReason.KICKED);
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
        disconnector.closeWith(channel, NoticeFrame.kicked(reason), "kicked: " + reason, DisconnectReason.TAKEOVER);
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
