package io.herald.client;

import io.herald.client.internal.ApiClient;
import io.herald.client.internal.ClientLogger;
import io.herald.client.internal.ClientTls;
import io.herald.client.internal.Connector;
import io.herald.client.internal.PendingMessage;
import io.herald.client.internal.SafeListener;
import io.herald.client.internal.UnackedMessages;
import io.herald.client.internal.UpstreamIdGenerator;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.MessageFrame;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
    /** How long {@link #close()} waits for the connection to close. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** MESSAGE body without trace id and payload: id (8), content type (1), timestamp (8). */
    private static final int MESSAGE_FIXED_BODY_LENGTH = 17;

    private final HeraldClientOptions options;
    private final ClientLogger log;
    private final EventLoop eventLoop;
    private final UnackedMessages unacked;
    private final UpstreamIdGenerator messageIds = new UpstreamIdGenerator();
    /** Everything that runs on the event loop: attempts, reconnects, what the connection reports, stopping. */
    private final ConnectionLifecycle lifecycle;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();

    private HeraldClient(ClientResources resources, HeraldClientOptions options, HeraldListener listener) {
        this.options = options;
        this.log = new ClientLogger(HeraldClient.class, options.clientId());
        this.eventLoop = resources.eventLoopGroup().next();
        ClientTls tls = new ClientTls(options.tlsTrustedCertificates(), options.tlsHostnameVerification());
        ApiClient api = new ApiClient(resources.httpClient(tls), resources.objectMapper(), options.apiUrl(),
                options.requestTimeout());
        Connector connector = new Connector(eventLoop, resources.socketChannelClass(), resources.blockingExecutor(),
                () -> resources.sslContext(tls), options.maxFrameBodyLength(), options.connectTimeout());
        this.unacked = new UnackedMessages(options.maxUnackedMessages());
        this.lifecycle = new ConnectionLifecycle(options, new SafeListener(listener, log), log, eventLoop, api,
                connector, unacked);
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
        client.lifecycle.closeFuture().whenComplete((ignored, failure) -> resources.unregister(client));
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
            if (!runOnEventLoop(lifecycle::beginAttempt)) {
                lifecycle.startFuture().completeExceptionally(new ClientClosedException("ClientResources are closed"));
            }
        }
        return lifecycle.startFuture();
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
        Throwable stopped = lifecycle.terminalCause();
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
        if (!runOnEventLoop(() -> lifecycle.enqueue(message))) {
            unacked.unreserve();
            message.result().completeExceptionally(new ClientClosedException("ClientResources are closed"));
        }
        return message.result();
    }

    /** Whether an authenticated connection is up right now. */
    public boolean isConnected() {
        return lifecycle.state() == ConnectionLifecycle.State.CONNECTED;
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
        if (closing.compareAndSet(false, true) && !runOnEventLoop(lifecycle::shutdown)) {
            lifecycle.closedWithoutEventLoop(); // the event loop is gone (resources closed first)
        }
        return lifecycle.closeFuture();
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
        return "HeraldClient[" + clientId() + ", " + lifecycle.state() + "]";
    }

    /** Runs the task on the client's event loop (at once when already there); false when the loop is gone. */
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
}
