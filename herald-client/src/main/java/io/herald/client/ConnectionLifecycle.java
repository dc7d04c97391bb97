package io.herald.client;

import io.herald.client.internal.ApiClient;
import io.herald.client.internal.Backoff;
import io.herald.client.internal.ClientLogger;
import io.herald.client.internal.ConnectionHandler;
import io.herald.client.internal.Connector;
import io.herald.client.internal.DuplicateFilter;
import io.herald.client.internal.GatewayEndpoint;
import io.herald.client.internal.GatewayRotation;
import io.herald.client.internal.LoginResult;
import io.herald.client.internal.NoUsableGatewayException;
import io.herald.client.internal.PendingMessage;
import io.herald.client.internal.ReconnectPolicy;
import io.herald.client.internal.UnackedMessages;
import io.herald.client.internal.UpstreamSender;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a {@link HeraldClient} does on its event loop: connection attempts (register the device if asked, log in
 * when needed, connect, authenticate) retried with backoff; what its connections report (authenticated, messages,
 * ACKs, the gateway's KICKED, RECONNECT and REDIRECT notices, closed); and stopping for good, closed or kicked.
 * Confined to the event loop, except the state, the terminal cause and the two futures, which the client reads
 * from any thread.
 */
final class ConnectionLifecycle {
    /** Log in again this long before the token's announced expiry rather than offer a token about to lapse. */
    private static final long TOKEN_EXPIRY_MARGIN_MILLIS = 5_000;

    enum State { NEW, CONNECTING, CONNECTED, WAITING_TO_RECONNECT, KICKED, CLOSED }

    private final HeraldClientOptions options;
    private final HeraldListener listener;
    private final ClientLogger log;
    private final EventLoop eventLoop;
    private final ApiClient api;
    private final Connector connector;
    private final ReconnectPolicy reconnectPolicy;
    private final UnackedMessages unacked;
    private final UpstreamSender upstream;
    private final PushedMessages pushed;
    private final ConnectionEvents connectionEvents = new ConnectionEvents();
    private final CompletableFuture<Void> startFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile State state = State.NEW;
    /** Why the client stopped for good; what later sends fail with. Set before {@code state} turns terminal. */
    private volatile Throwable terminalCause;

    // Confined to the event loop from here on.
    private boolean registered;
    private LoginResult login;
    /** Whether the token of the current attempt comes from a login made by this very attempt. */
    private boolean freshToken;
    /** Whether this attempt logs in because the kept token's gateway could not be reached. */
    private boolean askingApiForGateway;
    private GatewayEndpoint endpoint;
    /** The gateways the current login allows, for when {@link #endpoint} cannot be reached. */
    private GatewayRotation rotation;
    private ConnectionHandler connection;
    private ScheduledFuture<?> attemptTimer;
    /** Bumped when the client stops, so that answers to HTTP calls still in flight are ignored. */
    private long attemptGeneration;
    private boolean everConnected;
    private PlannedMove plannedMove;

    /**
     * @param listener  already made safe (a throwing callback is logged, not propagated)
     * @param connector connects on {@code eventLoop}
     */
    ConnectionLifecycle(HeraldClientOptions options, HeraldListener listener, ClientLogger log, EventLoop eventLoop,
                        ApiClient api, Connector connector, UnackedMessages unacked) {
        this.options = options;
        this.listener = listener;
        this.log = log;
        this.eventLoop = eventLoop;
        this.api = api;
        this.connector = connector;
        SplittableRandom random = new SplittableRandom();
        this.reconnectPolicy = new ReconnectPolicy(new Backoff(options.reconnectInitialDelay(),
                options.reconnectMaxDelay(), options.reconnectMultiplier(), options.reconnectJitter(), random),
                options.reloginAfterFailures());
        this.unacked = unacked;
        this.upstream = new UpstreamSender(eventLoop, unacked, options, random, log);
        this.pushed = new PushedMessages(new DuplicateFilter(options.duplicateWindow()), listener, log);
    }

    /** Completes at the first AUTH_OK; fails when the client stops for good before. */
    CompletableFuture<Void> startFuture() {
        return startFuture;
    }

    /** Completes once the client stopped for good and its connection is closed. */
    CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    State state() {
        return state;
    }

    /** Why the client stopped for good, or null while it runs. */
    Throwable terminalCause() {
        return terminalCause;
    }

    /** Begins an attempt (the first at the start, the next ones from the reconnect timer); on the event loop. */
    void beginAttempt() {
        attemptTimer = null;
        if (isTerminal()) {
            return;
        }
        state = State.CONNECTING;
        freshToken = false;
        askingApiForGateway = false;
        long generation = attemptGeneration;
        if (options.registerIfMissing() && !registered) {
            whenAnswered(api.register(options.clientId(), options.secret()), generation, created -> {
                registered = true;
                log.info(created ? "device registered" : "device was registered already");
                loginThenConnect(generation);
            });
            return;
        }
        loginThenConnect(generation);
    }

    private void loginThenConnect(long generation) {
        boolean needLogin = login == null || reconnectPolicy.reloginNeeded()
                || login.expiresWithin(Instant.now(), TOKEN_EXPIRY_MARGIN_MILLIS);
        if (!needLogin) {
            connect();
            return;
        }
        whenAnswered(api.login(options.clientId(), options.secret()), generation, result -> {
            GatewayEndpoint assigned;
            try {
                assigned = GatewayEndpoint.of(result.gateway(), options.transport(), options.tls());
            } catch (NoUsableGatewayException e) {
                // Keep no part of this login: the next attempt logs in again, maybe to a better gateway.
                attemptFailed(e);
                return;
            }
            login = result;
            endpoint = assigned;
            rotation = GatewayRotation.of(assigned, result.fallbacks(), options.transport(), options.tls());
            reconnectPolicy.loggedIn();
            freshToken = true;
            log.info("logged in; assigned gateway {}{}", endpoint.describe(), rotation.size() > 1
                    ? " (" + (rotation.size() - 1) + " more the token may use)" : "");
            connect();
        });
    }

    /**
     * Continues the attempt with the API's answer, on the event loop; a failed call fails the attempt. An answer
     * that comes after the client stopped ({@code generation} is over) is ignored.
     */
    private <T> void whenAnswered(CompletableFuture<T> call, long generation, Consumer<T> next) {
        call.whenCompleteAsync((answer, failure) -> {
            if (generation != attemptGeneration) {
                return;
            }
            if (failure != null) {
                attemptFailed(AttemptFailures.cause(failure));
                return;
            }
            next.accept(answer);
        }, eventLoop);
    }

    private void connect() {
        ConnectionHandler handler = new ConnectionHandler(endpoint, login.token(), options.connectTimeout(),
                connectionEvents, log);
        connection = handler;
        log.debug("connecting to {}", endpoint.describe());
        connector.connect(endpoint, handler);
    }

    private void attemptFailed(Throwable cause) {
        if (isTerminal()) {
            return;
        }
        GatewayEndpoint next = cause instanceof ConnectionLostException && rotation != null ? rotation.next() : null;
        if (next != null) {
            // Another gateway of the same login takes the same token: no login, no wait (part of this attempt).
            log.info("gateway {} unreachable ({}); trying gateway {} with the same token", endpoint.describe(),
                    cause.getMessage(), next.describe());
            endpoint = next;
            connect();
            return;
        }
        if (!freshToken && cause instanceof ConnectionLostException && reconnectPolicy.gatewaySuspect()) {
            // The gateway of the kept token failed again: ask the API for one now (part of this same attempt).
            log.info("gateway {} still unreachable ({}); logging in to be assigned one", endpoint.describe(),
                    cause.getMessage());
            reconnectPolicy.requireRelogin();
            askingApiForGateway = true;
            loginThenConnect(attemptGeneration);
            return;
        }
        if (askingApiForGateway && cause instanceof ApiUnreachableException) {
            // Neither gateway nor API answers (a standalone node restarting): keep the token and try the gateway
            // first again next time, so that a node that comes back takes the device without a login.
            reconnectPolicy.keepToken();
        }
        if (!everConnected && AttemptFailures.isPermanent(cause, freshToken)) {
            log.error("giving up: {}", cause.getMessage());
            listener.onError(cause);
            terminate(State.CLOSED, cause);
            return;
        }
        Duration delay = reconnectPolicy.attemptFailed(cause);
        log.warn("connection attempt failed ({} in a row): {}; retrying in {} ms{}",
                reconnectPolicy.consecutiveFailures(), cause.getMessage(), delay.toMillis(),
                reconnectPolicy.reloginNeeded() ? " with a new login" : "");
        listener.onError(cause);
        waitThenAttempt(delay.toMillis());
    }

    private void waitThenAttempt(long delayMillis) {
        state = State.WAITING_TO_RECONNECT;
        try {
            attemptTimer = eventLoop.schedule(this::beginAttempt, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            terminate(State.CLOSED, new ClientClosedException("ClientResources were closed"));
        }
    }

    /** Queues an upstream message whose slot is reserved; on the event loop. */
    void enqueue(PendingMessage message) {
        if (isTerminal()) {
            unacked.unreserve();
            message.result().completeExceptionally(terminalCause);
            return;
        }
        upstream.enqueue(message);
    }

    /** Stops for good at the client's close; on the event loop. */
    void shutdown() {
        if (isTerminal()) {
            return;
        }
        log.info("closing");
        ConnectionHandler current = connection;
        terminate(State.CLOSED, closedByClient());
        if (current != null) {
            current.close(null);
        }
    }

    /**
     * Stops for good: no more attempts, pending sends and a pending start fail with {@code cause}. The close
     * future completes now, or when the connection still open reports closed.
     */
    private void terminate(State finalState, Throwable cause) {
        terminalCause = cause;
        state = finalState;
        attemptGeneration++;
        plannedMove = null;
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
        upstream.failAll(cause);
        startFuture.completeExceptionally(cause);
        if (connection == null) {
            closeFuture.complete(null);
        }
    }

    /**
     * Stops right here, off the event loop, for a close when the loop is gone (resources closed first): nothing
     * runs there any more.
     */
    void closedWithoutEventLoop() {
        terminate(State.CLOSED, closedByClient());
        closeFuture.complete(null);
    }

    private ClientClosedException closedByClient() {
        return new ClientClosedException("client " + options.clientId() + " was closed");
    }

    private boolean isTerminal() {
        return state == State.KICKED || state == State.CLOSED;
    }

    /** The client's side of its connections, as they report in. */
    private final class ConnectionEvents implements ConnectionHandler.Events {
        @Override
        public void authenticated(ConnectionHandler c, AuthOkFrame authOk) {
            if (c != connection || isTerminal()) {
                c.close(null);
                return;
            }
            state = State.CONNECTED;
            reconnectPolicy.connected();
            if (rotation != null) {
                rotation.connected();
            }
            boolean reconnect = everConnected;
            everConnected = true;
            ConnectionInfo info = new ConnectionInfo(authOk.clientId(), authOk.sessionId(), options.transport(),
                    c.endpoint().describe(), Duration.ofMillis(authOk.heartbeatMillis()), reconnect);
            log.info("connected to {} (session {}, heartbeat {} ms)", info.gateway(), info.sessionId(),
                    authOk.heartbeatMillis());
            upstream.connected(c);
            listener.onConnected(info);
            startFuture.complete(null);
        }

        @Override
        public void messageReceived(ConnectionHandler c, MessageFrame message) {
            if (c == connection) {
                pushed.received(c, message);
            }
        }

        @Override
        public void ackReceived(ConnectionHandler c, AckFrame ack) {
            if (c == connection) {
                upstream.onAck(ack);
            }
        }

        @Override
        public void noticeReceived(ConnectionHandler c, NoticeFrame notice) {
            if (c != connection || isTerminal()) {
                return;
            }
            switch (notice.kind()) {
                case KICKED -> kicked(c, notice.reason());
                case RECONNECT -> {
                    // Another gateway of the login, if there is one: this one may be going away (a cluster drain).
                    PlannedMove move = PlannedMove.reconnect(notice, c.endpoint(),
                            rotation == null ? null : rotation.next(), log);
                    reconnectPolicy.suspectGateway(); // the move asks the API at once if the gateway is gone
                    moveAfterClose(c, move);
                }
                case REDIRECT -> moveAfterClose(c, PlannedMove.redirect(notice, c.endpoint(), log));
            }
        }

        /** Closes the connection; the move is made once it reports closed. */
        private void moveAfterClose(ConnectionHandler c, PlannedMove move) {
            plannedMove = move;
            c.close(move.closeCause());
        }

        private void kicked(ConnectionHandler c, String reason) {
            KickedException kicked = new KickedException(reason);
            log.warn("kicked by the server{}; not reconnecting", PlannedMove.reasonSuffix(reason));
            terminate(State.KICKED, kicked);
            listener.onKicked(reason);
            c.close(kicked);
        }

        @Override
        public void writable(ConnectionHandler c) {
            if (c == connection) {
                upstream.flush();
            }
        }

        @Override
        public void closed(ConnectionHandler c, Throwable cause) {
            if (c != connection) {
                return;
            }
            connection = null;
            boolean wasConnected = c.isAuthenticated();
            if (wasConnected) {
                upstream.disconnected();
                if (!isTerminal()) {
                    state = State.WAITING_TO_RECONNECT;
                }
                listener.onDisconnected(cause);
            }
            if (isTerminal()) {
                closeFuture.complete(null);
                return;
            }
            PlannedMove move = plannedMove;
            plannedMove = null;
            if (move != null) {
                if (move.relogin()) {
                    reconnectPolicy.requireRelogin();
                }
                if (move.target() != null) {
                    endpoint = move.target();
                }
                waitThenAttempt(move.delayMillis());
            } else if (wasConnected) {
                Duration delay = reconnectPolicy.connectionLost();
                log.warn("disconnected: {}; reconnecting in {} ms", cause.getMessage(), delay.toMillis());
                if (cause instanceof ServerErrorException error && !error.isConnectionTimeout()) {
                    listener.onError(cause); // a timeout is a lost connection, reported by onDisconnected only
                }
                waitThenAttempt(delay.toMillis());
            } else {
                attemptFailed(cause);
            }
        }
    }
}
