package io.herald.gateway.session;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.event.DisconnectReason;
import io.herald.core.session.SessionInfo;
import io.herald.gateway.delivery.DeviceReceiveLimits;
import io.herald.gateway.delivery.DownstreamQueue;
import io.herald.gateway.limit.UpstreamAllowance;
import io.herald.gateway.proxy.DeviceAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * All per-connection state, kept under one typed channel attribute and read through {@link #of(Channel)}.
 * Created when the connection opens (unauthenticated); {@link #authenticate} binds it to a client id once
 * AUTH succeeds. Mutated only on the channel's event loop, except the volatile fields read by other threads.
 *
 * <p>Kept small, as an idle connection's cost is mostly what it holds: what only some sessions need (the upstream
 * side, the hand-off future) is made on first use, and times are plain numbers rather than objects.
 */
public final class DeviceSession {
    private static final AttributeKey<DeviceSession> KEY = AttributeKey.valueOf(DeviceSession.class, "session");
    private static final VarHandle HANDED_OFF;

    static {
        try {
            HANDED_OFF = MethodHandles.lookup().findVarHandle(DeviceSession.class, "handedOff", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Transport names of MQTT connections start with this ("mqtt", "mqtt-websocket"). */
    public static final String MQTT_TRANSPORT = "mqtt";

    private final Channel channel;
    /** Set again when a WebSocket upgrade switches the connection to MQTT; read by other threads for session info. */
    private volatile String transport;
    /** The node's session ids; with {@link #sessionNumber} they give this session's id. */
    private final SessionIds sessionIds;
    private final long sessionNumber;
    private volatile String clientId;
    /** The registration the session's token was issued to; set with {@link #clientId}. */
    private volatile long generation;
    /** Epoch milliseconds of AUTH; 0 before. */
    private volatile long connectedAtMillis;
    private DownstreamQueue downstream;
    /** What the device said it accepts (MQTT 5's CONNECT), for its queue; set before authentication. */
    private DeviceReceiveLimits receiveLimits = DeviceReceiveLimits.NONE;
    private boolean authenticationStarted;
    /** Null until the first upstream message (or the rate limiter's first look at one). */
    private SessionUpstream upstream;
    /**
     * Completes once this session's undelivered QoS 1 messages are safely in the offline store after close. Made
     * by the first thread that asks for it (a takeover may ask from another event loop): see {@link #handedOff()}.
     */
    private volatile CompletableFuture<Void> handedOff;
    /** Why reading is paused: a bit per {@link ReadPause.Reason}, 0 when reading. Event loop only. */
    private int readPauses;
    /** A heartbeat answer is written and not yet handed to the socket: further pings meanwhile get none of their own. */
    private boolean pongPending;
    /** Event loop ticker time of the last frame read, for the idle sweep. */
    private long lastReadNanos;
    /** The pending AUTH_TIMEOUT close; null once authenticated (cancelled) or before it is set. */
    private Future<?> authTimer;
    /** This session's slot in its event loop's idle sweep; -1 while not watched. */
    private int sweepSlot = -1;
    /** Silence that closes this connection, when not the gateway's (an MQTT keepalive); 0 for the gateway's. */
    private long idleTimeoutNanos;
    /** Why the gateway closes this connection; null until it decides to (then the device or network closed it). */
    private DisconnectReason closeReason;

    private DeviceSession(Channel channel, String transport, SessionIds sessionIds) {
        this.channel = channel;
        this.transport = transport;
        this.sessionIds = sessionIds;
        this.sessionNumber = sessionIds.nextNumber();
    }

    /** Attaches a fresh, unauthenticated session, with the next id of {@code sessionIds}, to a new channel. */
    public static DeviceSession attach(Channel channel, String transport, SessionIds sessionIds) {
        DeviceSession session = new DeviceSession(channel, transport, sessionIds);
        channel.attr(KEY).set(session);
        return session;
    }

    /** The session of a channel; never null for a channel the gateway accepted. */
    public static DeviceSession of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public void authenticate(DeviceIdentity identity, Instant at, DownstreamQueue downstream) {
        this.generation = identity.generation();
        this.clientId = identity.clientId();
        this.connectedAtMillis = at.toEpochMilli();
        this.downstream = downstream;
    }

    /** Marks that an AUTH is being checked; false when one already was (a device may send AUTH once). */
    public boolean beginAuthentication() {
        if (authenticationStarted) {
            return false;
        }
        authenticationStarted = true;
        return true;
    }

    /** The gateway closes the connection for {@code reason}; the first reason given stays. Event loop only. */
    public void closeReason(DisconnectReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    /** Why the session ended: what the gateway gave, else the device (or its network) closed it. Event loop only. */
    public DisconnectReason closeReason() {
        return closeReason != null ? closeReason : DisconnectReason.CLIENT_CLOSED;
    }

    /** Epoch milliseconds of AUTH; 0 before. */
    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public boolean isAuthenticated() {
        return clientId != null;
    }

    /**
     * Whether the auth gate has let this connection through: authenticated and its AUTH_OK confirmed (reading, paused
     * while the token is checked, has resumed and the gate left the pipeline). Event loop only.
     */
    public boolean isPastAuthGate() {
        return clientId != null && !isReadingPaused(ReadPause.Reason.AUTHENTICATING);
    }

    /** Notes that a frame was read at {@code nanos} (event loop ticker time). Event loop only. */
    public void readAt(long nanos) {
        lastReadNanos = nanos;
    }

    /** When the last frame was read (event loop ticker time), or when watching began. Event loop only. */
    public long lastReadNanos() {
        return lastReadNanos;
    }

    /** Sets the pending auth timeout, cancelling the one before (null: just cancel). Event loop only. */
    public void authTimer(Future<?> timer) {
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        authTimer = timer;
    }

    /** This connection's own idle timeout in nanoseconds (an MQTT keepalive), or 0 for the gateway's. */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** Gives this connection its own idle timeout (MQTT: 1.5 times the keepalive the device asked for). Event loop. */
    public void idleTimeoutNanos(long nanos) {
        idleTimeoutNanos = nanos;
    }

    /** The idle sweep's bookkeeping: where this session sits in its event loop's list, -1 if nowhere. */
    public int sweepSlot() {
        return sweepSlot;
    }

    public void sweepSlot(int slot) {
        sweepSlot = slot;
    }

    /** The authenticated client id; null before AUTH succeeded. */
    public String clientId() {
        return clientId;
    }

    /** The registration generation of the authenticated client id ({@code Device#generation}). */
    public long generation() {
        return generation;
    }

    public Channel channel() {
        return channel;
    }

    public String sessionId() {
        return sessionIds.format(sessionNumber);
    }

    public String transport() {
        return transport;
    }

    /** The connection now speaks another protocol over the same transport (a WebSocket upgrade to MQTT). */
    public void transport(String name) {
        transport = name;
    }

    /** Whether the device speaks MQTT: its frames are translated to MQTT packets, so none may be written pre-encoded. */
    public boolean isMqtt() {
        return transport.startsWith(MQTT_TRANSPORT);
    }

    public DownstreamQueue downstream() {
        return downstream;
    }

    /** See {@link #receiveLimits(DeviceReceiveLimits)}. */
    public DeviceReceiveLimits receiveLimits() {
        return receiveLimits;
    }

    /** The device's own limits on what it receives, read from its CONNECT before the session is authenticated. */
    public void receiveLimits(DeviceReceiveLimits limits) {
        receiveLimits = limits;
    }

    /** Stops reading for {@code reason}, whatever else holds it (see {@link ReadPause}). Event loop only. */
    public void pauseReading(ReadPause.Reason reason) {
        readPauses = ReadPause.with(readPauses, reason);
        ReadPause.apply(channel, readPauses);
    }

    /** Lifts {@code reason}; reading resumes when no other reason holds. Event loop only. */
    public void resumeReading(ReadPause.Reason reason) {
        readPauses = ReadPause.without(readPauses, reason);
        ReadPause.apply(channel, readPauses); // after the store: frames it reads at once see the mask lifted
    }

    public boolean isReadingPaused(ReadPause.Reason reason) {
        return ReadPause.holds(readPauses, reason);
    }

    /**
     * Answers a heartbeat (Herald PING, WebSocket ping) with {@code writeAnswer}, unless an earlier answer is still
     * waiting to be written: then that one answers this heartbeat too, and reading pauses until it is out, so a
     * client that pings without reading costs one answer, not one each. Returns whether it wrote. Event loop only.
     */
    public boolean answerHeartbeat(Supplier<ChannelFuture> writeAnswer) {
        if (pongPending) {
            pauseReading(ReadPause.Reason.PONG_PENDING);
            return false;
        }
        pongPending = true;
        writeAnswer.get().addListener(written -> {
            pongPending = false;
            resumeReading(ReadPause.Reason.PONG_PENDING);
        });
        return true;
    }

    /** Completes once this session's undelivered QoS 1 messages are in the offline store after close. Any thread. */
    @SuppressWarnings("unchecked")
    public CompletableFuture<Void> handedOff() {
        CompletableFuture<Void> future = handedOff;
        if (future == null) {
            CompletableFuture<Void> made = new CompletableFuture<>();
            Object witness = HANDED_OFF.compareAndExchange(this, null, made);
            future = witness == null ? made : (CompletableFuture<Void>) witness;
        }
        return future;
    }

    /** Counts an upstream message entering handling; returns the new count. Event loop only. */
    public int upstreamStarted() {
        return upstream().started();
    }

    /** Counts an upstream message finished; returns the new count. Event loop only. */
    public int upstreamFinished() {
        return upstream().finished();
    }

    /** This connection's standing with the upstream rate limit, full at its first message. Event loop only. */
    public UpstreamAllowance upstreamAllowance(long now) {
        return upstream().allowance(now);
    }

    /** Chains upstream handling after the previous message of this device. Event loop only. */
    public <T> CompletableFuture<T> afterPreviousUpstream(Supplier<CompletableFuture<T>> next) {
        return upstream().afterPrevious(next);
    }

    private SessionUpstream upstream() {
        if (upstream == null) {
            upstream = new SessionUpstream();
        }
        return upstream;
    }

    public SessionInfo info(String gatewayId) {
        Instant connectedAt = connectedAtMillis == 0 ? null : Instant.ofEpochMilli(connectedAtMillis);
        return new SessionInfo(clientId, sessionId(), connectedAt, transport, remoteAddress(), gatewayId);
    }

    /** "ip:port" of the device (behind a trusted balancer, the one its PROXY header named), for logs and events. */
    public String remoteAddress() {
        Object address = DeviceAddress.of(channel);
        if (address instanceof java.net.InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** Prefix for log lines about this connection. */
    public String logPrefix() {
        return "[" + (clientId != null ? clientId : "-") + " " + sessionId() + " " + remoteAddress() + "]";
    }
}
