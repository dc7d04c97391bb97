package io.herald.client;

import io.herald.client.internal.ApiClient;
import io.herald.client.internal.Backoff;
import io.herald.client.internal.ClientLogger;
import io.herald.client.internal.ClientTls;
import io.herald.client.internal.ConnectionHandler;
import io.herald.client.internal.Connector;
import io.herald.client.internal.DuplicateFilter;
import io.herald.client.internal.GatewayEndpoint;
import io.herald.client.internal.LoginResult;
import io.herald.client.internal.NoUsableGatewayException;
import io.herald.client.internal.PendingMessage;
import io.herald.client.internal.ReconnectPolicy;
import io.herald.client.internal.SafeListener;
import io.herald.client.internal.UnackedMessages;
import io.herald.client.internal.UpstreamIdGenerator;
import io.herald.client.internal.UpstreamSender;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A device's connection to Herald: logs in over HTTP, connects to the assigned gateway (TCP or WebSocket),
 * keeps the connection alive with heartbeats, reconnects with backoff (logging in again when needed), delivers
 * pushed messages once each, and sends upstream messages at least once.
 *
 * <pre>{@code
 * try (ClientResources resources = ClientResources.create();
 *      HeraldClient client = HeraldClient.create(resources, options, listener)) {
 *     client.start().get(30, TimeUnit.SECONDS);
 *     client.sendText("hello").get();
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe. Everything the client does runs on one event loop of its
 * {@link ClientResources}: listener callbacks, and the completion of the futures returned here — so dependent
 * stages attached with {@code thenAccept} etc. run there too and must not block (use the {@code *Async}
 * variants for slow work).
 */
public final class HeraldClient implements AutoCloseable {
    /** Log in again this long before the token's announced expiry rather than offer a token about to lapse. */
    private static final long TOKEN_EXPIRY_MARGIN_MILLIS = 5_000;
    /** How long {@link #close()} waits for the connection to close. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** MESSAGE body without trace id and payload: id (8), content type (1), timestamp (8). */
    private static final int MESSAGE_FIXED_BODY_LENGTH = 17;
    /** AUTH_FAIL codes that say "not now" rather than "never": retried even before the first connection. */
    private static final Set<ErrorCode> TRANSIENT_AUTH_FAILURES = EnumSet.of(ErrorCode.AUTH_TIMEOUT,
            ErrorCode.RATE_LIMITED, ErrorCode.SERVER_BUSY, ErrorCode.INTERNAL_ERROR);

    private enum State { NEW, CONNECTING, CONNECTED, WAITING_TO_RECONNECT, KICKED, CLOSED }

    /** A move the gateway asked for with a RECONNECT or REDIRECT notice. */
    private record PlannedMove(long delayMillis, boolean relogin, GatewayEndpoint target) {
    }

    private final HeraldClientOptions options;
    private final HeraldListener listener;
    private final ClientLogger log;
    private final EventLoop eventLoop;
    private final ApiClient api;
    private final Connector connector;
    private final ReconnectPolicy reconnectPolicy;
    private final UnackedMessages unacked;
    private final UpstreamSender upstream;
    private final DuplicateFilter duplicates;
    private final UpstreamIdGenerator messageIds = new UpstreamIdGenerator();
    private final ConnectionEvents connectionEvents = new ConnectionEvents();
    private final CompletableFuture<Void> startFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
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
    private ConnectionHandler connection;
    private ScheduledFuture<?> attemptTimer;
    /** Bumped when the client stops, so that answers to HTTP calls still in flight are ignored. */
    private long attemptGeneration;
    private boolean everConnected;
    private PlannedMove plannedMove;

    private HeraldClient(ClientResources resources, HeraldClientOptions options, HeraldListener listener) {
        this.options = options;
        this.log = new ClientLogger(HeraldClient.class, options.clientId());
        this.listener = new SafeListener(listener, log);
        this.eventLoop = resources.eventLoopGroup().next();
        ClientTls tls = new ClientTls(options.tlsTrustedCertificates(), options.tlsHostnameVerification());
        this.api = new ApiClient(resources.httpClient(tls), resources.objectMapper(), options.apiUrl(),
                options.requestTimeout());
        this.connector = new Connector(eventLoop, resources.socketChannelClass(), resources.blockingExecutor(),
                () -> resources.sslContext(tls), options.maxFrameBodyLength(), options.connectTimeout());
        SplittableRandom random = new SplittableRandom();
        this.reconnectPolicy = new ReconnectPolicy(new Backoff(options.reconnectInitialDelay(),
                options.reconnectMaxDelay(), options.reconnectMultiplier(), options.reconnectJitter(), random),
                options.reloginAfterFailures());
        this.unacked = new UnackedMessages(options.maxUnackedMessages());
        this.upstream = new UpstreamSender(eventLoop, unacked, options, random, log);
        this.duplicates = new DuplicateFilter(options.duplicateWindow());
    }

    /**
     * A new client, not yet started. Creating one is cheap: it only picks an event loop of {@code resources}.
     *
     * @throws IllegalStateException when {@code resources} are closed
     */
    public static HeraldClient create(ClientResources resources, HeraldClientOptions options,
                                      HeraldListener listener) {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        if (resources.isClosed()) {
            throw new IllegalStateException("ClientResources are closed");
        }
        HeraldClient client = new HeraldClient(resources, options, listener);
        resources.register(client);
        client.closeFuture.whenComplete((ignored, failure) -> resources.unregister(client));
        return client;
    }

    /**
     * Registers the device (if asked), logs in, connects and authenticates. Connection trouble is retried
     * with backoff until it works; the future completes at the first AUTH_OK. It fails, and the client stops,
     * when retrying cannot help: {@link LoginRejectedException} (HTTP 401), {@link RegistrationConflictException}
     * (409), another non-retryable {@link ApiException}, {@link AuthenticationFailedException} (AUTH_FAIL), or
     * login assigning a gateway without the configured transport — and with {@link ClientClosedException} when
     * the client is closed first. Calling it again returns the same future.
     *
     * <p>While the gateway or API stays unreachable the future stays pending and the client keeps trying;
     * bound the wait with {@code start().get(timeout, unit)} or {@code orTimeout}, and close the client if
     * giving up.
     */
    public CompletableFuture<Void> start() {
        if (started.compareAndSet(false, true)) {
            log.info("starting: api {}, transport {}", options.apiUrl(), options.transport());
            if (!runOnEventLoop(this::beginAttempt)) {
                startFuture.completeExceptionally(new ClientClosedException("ClientResources are closed"));
            }
        }
        return startFuture;
    }

    /** Sends a QoS 1 TEXT message (UTF-8). See {@link #send(ContentType, byte[], String)}. */
    public CompletableFuture<SendResult> sendText(String text) {
        return send(ContentType.TEXT, Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8), null);
    }

    /** Sends a QoS 1 message without trace id. See {@link #send(ContentType, byte[], String)}. */
    public CompletableFuture<SendResult> send(ContentType contentType, byte[] payload) {
        return send(contentType, payload, null);
    }

    /**
     * Sends a QoS 1 message upstream. It may be called before {@link #start()} or while disconnected: the
     * message is kept until the server acknowledges it and resent (marked DUPLICATE) after reconnects, ACK
     * timeouts and ACK RETRY answers. The payload is copied.
     *
     * @param traceId printable ASCII, 1-64 characters, or null
     * @return completes with the {@link SendResult} at ACK OK; fails with {@link MessageRejectedException} at ACK
     *         REJECTED, at once with {@link TooManyUnackedMessagesException} when
     *         {@link HeraldClientOptions#maxUnackedMessages()} messages are waiting, and with
     *         {@link ClientClosedException} or {@link KickedException} when the client stops first
     * @throws IllegalArgumentException for a bad trace id, or a payload too large for one frame
     */
    public CompletableFuture<SendResult> send(ContentType contentType, byte[] payload, String traceId) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        if (traceId != null && !FrameCodec.isValidTraceId(traceId)) {
            throw new IllegalArgumentException("traceId must be 1-64 printable ASCII characters without spaces");
        }
        int bodyLength = MESSAGE_FIXED_BODY_LENGTH + (traceId == null ? 0 : 1 + traceId.length()) + payload.length;
        if (bodyLength > options.maxFrameBodyLength()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes does not fit in one frame"
                    + " (maxFrameBodyLength " + options.maxFrameBodyLength() + " bytes, including "
                    + (bodyLength - payload.length) + " bytes of message header)");
        }
        Throwable stopped = terminalCause;
        if (stopped != null) {
            return CompletableFuture.failedFuture(stopped);
        }
        try {
            unacked.reserve();
        } catch (TooManyUnackedMessagesException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingMessage message = new PendingMessage(new MessageFrame(messageIds.next(), contentType,
                Qos.AT_LEAST_ONCE, false, traceId, System.currentTimeMillis(), payload.clone()));
        if (!runOnEventLoop(() -> enqueue(message))) {
            unacked.unreserve();
            message.result().completeExceptionally(new ClientClosedException("ClientResources are closed"));
        }
        return message.result();
    }

    /** Whether an authenticated connection is up right now. */
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    public String clientId() {
        return options.clientId();
    }

    public HeraldClientOptions options() {
        return options;
    }

    /** Upstream messages sent or queued and not yet acknowledged. */
    public int unackedMessages() {
        return unacked.reservedCount();
    }

    /**
     * Stops reconnecting, closes the connection and fails pending sends with {@link ClientClosedException}.
     *
     * @return completes once the connection is closed
     */
    public CompletableFuture<Void> closeAsync() {
        if (closing.compareAndSet(false, true) && !runOnEventLoop(this::shutdown)) {
            // The event loop is gone (resources closed first): nothing runs there any more, stop right here.
            terminate(State.CLOSED, new ClientClosedException("client " + clientId() + " was closed"));
            closeFuture.complete(null);
        }
        return closeFuture;
    }

    /**
     * {@link #closeAsync()}, then waits (up to 5 s) for the connection to close — except when called on the
     * client's own event loop (e.g. from a listener), where waiting would deadlock.
     */
    @Override
    public void close() {
        CompletableFuture<Void> closed = closeAsync();
        if (eventLoop.inEventLoop()) {
            return;
        }
        try {
            closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("connection did not close within {} ms", CLOSE_WAIT.toMillis());
        } catch (ExecutionException e) {
            log.warn("closing failed: {}", e.getCause().toString());
        }
    }

    @Override
    public String toString() {
        return "HeraldClient[" + clientId() + ", " + state + "]";
    }

    // ---- everything below runs on the event loop ----

    private void beginAttempt() {
        attemptTimer = null;
        if (isTerminal()) {
            return;
        }
        state = State.CONNECTING;
        freshToken = false;
        askingApiForGateway = false;
        long generation = attemptGeneration;
        if (options.registerIfMissing() && !registered) {
            api.register(options.clientId(), options.secret()).whenCompleteAsync((created, failure) -> {
                if (generation != attemptGeneration) {
                    return;
                }
                if (failure != null) {
                    attemptFailed(unwrap(failure));
                    return;
                }
                registered = true;
                log.info(created ? "device registered" : "device was registered already");
                loginThenConnect(generation);
            }, eventLoop);
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
        api.login(options.clientId(), options.secret()).whenCompleteAsync((result, failure) -> {
            if (generation != attemptGeneration) {
                return;
            }
            if (failure != null) {
                attemptFailed(unwrap(failure));
                return;
            }
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
            reconnectPolicy.loggedIn();
            freshToken = true;
            log.info("logged in; assigned gateway {}", endpoint.describe());
            connect();
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
        if (!everConnected && isPermanent(cause, freshToken)) {
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

    private void enqueue(PendingMessage message) {
        if (isTerminal()) {
            unacked.unreserve();
            message.result().completeExceptionally(terminalCause);
            return;
        }
        upstream.enqueue(message);
    }

    private void shutdown() {
        if (isTerminal()) {
            return;
        }
        log.info("closing");
        ConnectionHandler current = connection;
        terminate(State.CLOSED, new ClientClosedException("client " + clientId() + " was closed"));
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

    private boolean isTerminal() {
        return state == State.KICKED || state == State.CLOSED;
    }

    private boolean runOnEventLoop(Runnable task) {
        if (eventLoop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            eventLoop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Whether retrying cannot help. An INVALID_TOKEN for a token kept from an earlier attempt only means that
     * it expired meanwhile (the gateway was down longer than the token lives): a new login fixes that.
     */
    private static boolean isPermanent(Throwable cause, boolean freshToken) {
        if (cause instanceof ApiException api) {
            return !api.isRetryable();
        }
        if (cause instanceof AuthenticationFailedException auth) {
            if (auth.code() == ErrorCode.INVALID_TOKEN) {
                return freshToken;
            }
            return !TRANSIENT_AUTH_FAILURES.contains(auth.code());
        }
        return cause instanceof NoUsableGatewayException;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The client's side of its connections; kept off the public API. */
    private final class ConnectionEvents implements ConnectionHandler.Events {

        @Override
        public void authenticated(ConnectionHandler c, AuthOkFrame authOk) {
            if (c != connection || isTerminal()) {
                c.close(null);
                return;
            }
            state = State.CONNECTED;
            reconnectPolicy.connected();
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
            if (c != connection) {
                return;
            }
            if (duplicates.firstSeen(message.messageId())) {
                listener.onMessage(new ReceivedMessage(message.messageId(), message.contentType(), message.qos(),
                        message.payload(), message.traceId(), message.timestamp(), message.duplicate()));
            } else {
                log.debug("dropping redelivered message {}", Long.toUnsignedString(message.messageId()));
            }
            if (message.qos() == Qos.AT_LEAST_ONCE) {
                // Flushed when the current read burst completes, together with the other ACKs of the burst.
                c.write(AckFrame.ok(message.messageId()));
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
                    // Its token may still be good: come back to this gateway with it (a restarted standalone node
                    // takes it), and ask the API at once if the gateway is gone (a drained cluster gateway).
                    log.info("gateway asks to reconnect in {} ms ({}); a new login if it is gone by then",
                            notice.delayMillis(), notice.reason());
                    reconnectPolicy.suspectGateway();
                    plannedMove = new PlannedMove(notice.delayMillis(), false, null);
                    c.close(new ConnectionLostException("gateway " + c.endpoint().describe()
                            + " asked the client to reconnect" + reasonSuffix(notice.reason())));
                }
                case REDIRECT -> {
                    GatewayEndpoint target = null;
                    try {
                        target = c.endpoint().redirectedTo(notice.redirect());
                        log.info("gateway redirects to {} in {} ms ({})", target.describe(), notice.delayMillis(),
                                notice.reason());
                    } catch (IllegalArgumentException e) {
                        log.warn("ignoring unusable REDIRECT target '{}'; logging in again instead",
                                notice.redirect());
                    }
                    plannedMove = new PlannedMove(notice.delayMillis(), target == null, target);
                    c.close(new ConnectionLostException("gateway " + c.endpoint().describe()
                            + " redirected the client to " + notice.redirect() + reasonSuffix(notice.reason())));
                }
            }
        }

        private void kicked(ConnectionHandler c, String reason) {
            KickedException kicked = new KickedException(reason);
            log.warn("kicked by the server{}; not reconnecting", reasonSuffix(reason));
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

        private String reasonSuffix(String reason) {
            return reason == null || reason.isEmpty() ? "" : " (" + reason + ")";
        }
    }
}
