package io.herald.gateway.session;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.session.SessionInfo;
import io.herald.gateway.delivery.DownstreamQueue;
import io.herald.gateway.limit.UpstreamAllowance;
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
 * chain, the hand-off future) is made on first use, and times are plain numbers rather than objects.
 */
public final class DeviceSession {
    private static final AttributeKey<DeviceSession> KEY = AttributeKey.valueOf(DeviceSession.class, "session");
    private static final CompletableFuture<Void> NOTHING_PENDING = CompletableFuture.completedFuture(null);
    private static final VarHandle HANDED_OFF;

    static {
        try {
            HANDED_OFF = MethodHandles.lookup().findVarHandle(DeviceSession.class, "handedOff", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel channel;
    private final String transport;
    /** The node's session ids; with {@link #sessionNumber} they give this session's id. */
    private final SessionIds sessionIds;
    private final long sessionNumber;
    private volatile String clientId;
    /** The registration the session's token was issued to; set with {@link #clientId}. */
    private volatile long generation;
    /** Epoch milliseconds of AUTH; 0 before. */
    private volatile long connectedAtMillis;
    private DownstreamQueue downstream;
    private int upstreamPending;
    private boolean authenticationStarted;
    /** Null until the first upstream message, and when upstream rates are not limited. */
    private UpstreamAllowance upstreamAllowance;
    /**
     * The last upstream message's handling; the next one starts after it, keeping the device's order. Null until the
     * first upstream message.
     */
    private CompletableFuture<?> upstreamTail;
    /**
     * Completes once this session's undelivered QoS 1 messages are safely in the offline store after close. Made
     * by the first thread that asks for it (a takeover may ask from another event loop): see {@link #handedOff()}.
     */
    private volatile CompletableFuture<Void> handedOff;
    private final ReadPause readPause;
    /** A heartbeat answer is written and not yet handed to the socket: further pings meanwhile get none of their own. */
    private boolean pongPending;
    /** Event loop ticker time of the last frame read, for the idle sweep. */
    private long lastReadNanos;
    /** The pending AUTH_TIMEOUT close; null once authenticated (cancelled) or before it is set. */
    private Future<?> authTimer;
    /** This session's slot in its event loop's idle sweep; -1 while not watched. */
    private int sweepSlot = -1;

    private DeviceSession(Channel channel, String transport, SessionIds sessionIds) {
        this.channel = channel;
        this.transport = transport;
        this.sessionIds = sessionIds;
        this.sessionNumber = sessionIds.nextNumber();
        this.readPause = new ReadPause(channel);
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

    public boolean isAuthenticated() {
        return clientId != null;
    }

    /**
     * Whether the auth gate has let this connection through: authenticated and its AUTH_OK confirmed (reading, paused
     * while the token is checked, has resumed and the gate left the pipeline). Event loop only.
     */
    public boolean isPastAuthGate() {
        return clientId != null && !readPause.isPaused(ReadPause.Reason.AUTHENTICATING);
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

    public DownstreamQueue downstream() {
        return downstream;
    }

    /** Why reading from this connection is paused, if it is. Event loop only. */
    public ReadPause readPause() {
        return readPause;
    }

    /**
     * Answers a heartbeat (Herald PING, WebSocket ping) with {@code writeAnswer}, unless an earlier answer is still
     * waiting to be written: then that one answers this heartbeat too, and reading pauses until it is out, so a
     * client that pings without reading costs one answer, not one each. Returns whether it wrote. Event loop only.
     */
    public boolean answerHeartbeat(Supplier<ChannelFuture> writeAnswer) {
        if (pongPending) {
            readPause.pause(ReadPause.Reason.PONG_PENDING);
            return false;
        }
        pongPending = true;
        writeAnswer.get().addListener(written -> {
            pongPending = false;
            readPause.resume(ReadPause.Reason.PONG_PENDING);
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
        return ++upstreamPending;
    }

    /** Counts an upstream message finished; returns the new count. Event loop only. */
    public int upstreamFinished() {
        return --upstreamPending;
    }

    /** This connection's standing with the upstream rate limit, full at its first message. Event loop only. */
    public UpstreamAllowance upstreamAllowance(long now) {
        if (upstreamAllowance == null) {
            upstreamAllowance = new UpstreamAllowance(now);
        }
        return upstreamAllowance;
    }

    /** Chains upstream handling after the previous message of this device. Event loop only. */
    public <T> CompletableFuture<T> afterPreviousUpstream(java.util.function.Supplier<CompletableFuture<T>> next) {
        CompletableFuture<?> previous = upstreamTail == null ? NOTHING_PENDING : upstreamTail;
        CompletableFuture<T> result = previous.handle((ignored, error) -> null).thenCompose(v -> next.get());
        upstreamTail = result;
        return result;
    }

    public SessionInfo info(String gatewayId) {
        Instant connectedAt = connectedAtMillis == 0 ? null : Instant.ofEpochMilli(connectedAtMillis);
        return new SessionInfo(clientId, sessionId(), connectedAt, transport, remoteAddress(), gatewayId);
    }

    /** "ip:port" of the device, for logs. */
    public String remoteAddress() {
        Object address = channel.remoteAddress();
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
