package io.herald.cluster.link.client;

import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.LinkAuthenticationException;
import io.herald.cluster.link.LinkException;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.LinkTimeoutException;
import io.herald.cluster.link.LinkUnavailableException;
import io.herald.cluster.link.tls.LinkTls;
import io.herald.cluster.link.wire.LinkCodec;
import io.herald.cluster.link.wire.LinkRequest;
import io.herald.cluster.link.wire.LinkResponse;
import io.herald.core.concurrent.Stages;
import io.herald.core.time.ExponentialBackoff;
import io.micrometer.core.instrument.Counter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to one gateway and its life: connect, authenticate, and when it drops (or cannot be made),
 * reconnect after a back-off, until closed. Requests share the connection, each numbered and answered in any
 * order.
 *
 * <p>{@link #current} is the state as requests see it: a pending future while an attempt is under way (requests
 * wait for it, within their timeout), a completed one while authenticated, a failed one while waiting to reconnect
 * or once closed (requests fail at once with its reason). State changes happen on the link's event loop.
 */
final class LinkConnection {
    private static final Logger log = LoggerFactory.getLogger(LinkConnection.class);

    /** An authenticated connection and the requests waiting for answers on it. */
    private record Authenticated(Channel channel, PendingRequests pending) {
    }

    private final GatewayNode node;
    private final String address;
    private final String localNodeId;
    private final LinkSettings settings;
    private final LinkCodec codec;
    private final EventLoop eventLoop;
    private final ExponentialBackoff backoff;
    private final Counter reconnects;
    private final AtomicLong requestIds = new AtomicLong();
    private volatile CompletableFuture<Authenticated> current = new CompletableFuture<>();
    private volatile boolean closed;
    private Channel channel;
    private ScheduledFuture<?> reconnect;

    private LinkConnection(GatewayNode node, String localNodeId, LinkSettings settings, LinkCodec codec,
                           EventLoop eventLoop, Counter reconnects) {
        this.node = node;
        this.address = node.host() + ":" + node.internalPort();
        this.localNodeId = localNodeId;
        this.settings = settings;
        this.codec = codec;
        this.eventLoop = eventLoop;
        this.backoff = new ExponentialBackoff(settings.reconnectMin(), settings.reconnectMax());
        this.reconnects = reconnects;
    }

    /**
     * Starts connecting; requests sent meanwhile wait for the first attempt.
     *
     * @param reconnects counts each reconnect this connection schedules
     */
    static LinkConnection open(GatewayNode node, String localNodeId, LinkSettings settings, LinkCodec codec,
                               EventLoop eventLoop, Counter reconnects) {
        LinkConnection connection = new LinkConnection(node, localNodeId, settings, codec, eventLoop, reconnects);
        CompletableFuture<Authenticated> first = connection.current;
        eventLoop.execute(() -> connection.connect(first));
        return connection;
    }

    boolean isAuthenticated() {
        CompletableFuture<Authenticated> state = current;
        return state.isDone() && !state.isCompletedExceptionally() && state.join().channel().isActive();
    }

    /**
     * Sends the request under a fresh id; the future completes with the gateway's answer or fails with a
     * {@link LinkException} (unavailable, timed out, or refused by the gateway).
     */
    CompletableFuture<LinkResponse> send(LinkRequest request) {
        CompletableFuture<Authenticated> connection = current;
        if (connection.isCompletedExceptionally()) {
            return CompletableFuture.failedFuture(unavailable(connection.handle((ok, failure) -> failure).join()));
        }
        LinkRequest numbered = request.withRequestId(requestIds.incrementAndGet());
        CompletableFuture<LinkResponse> response = new CompletableFuture<>();
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            // The usual case. One task on the event loop for timer and write: each task from another thread
            // costs a selector wake-up, which is most of what a small request costs.
            Authenticated link = connection.join();
            return onEventLoop(response, () -> {
                armTimeout(numbered, response);
                write(link, numbered, response);
            });
        }
        onEventLoop(response, () -> armTimeout(numbered, response));
        connection.whenComplete((link, failure) -> {
            if (failure != null) {
                response.completeExceptionally(unavailable(failure));
            } else {
                write(link, numbered, response);
            }
        });
        return response;
    }

    /** Runs the task on the link's event loop; fails the response if the event loop is shut down already. */
    private CompletableFuture<LinkResponse> onEventLoop(CompletableFuture<LinkResponse> response, Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException e) {
            response.completeExceptionally(new LinkUnavailableException(node.id(), "the link to gateway " + node.id()
                    + " is closed (its event loop has shut down)", e));
        }
        return response;
    }

    private void armTimeout(LinkRequest request, CompletableFuture<LinkResponse> response) {
        if (response.isDone()) {
            return;
        }
        ScheduledFuture<?> timer = eventLoop.schedule(() -> response.completeExceptionally(timedOut(request)),
                settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        response.whenComplete((answer, failure) -> timer.cancel(false));
    }

    private void write(Authenticated link, LinkRequest request, CompletableFuture<LinkResponse> response) {
        if (response.isDone()) {
            return; // timed out while the connection was being made: its caller has moved on, so do not send it
        }
        link.pending().add(request.requestId(), response);
        if (!link.channel().isActive()) {
            // Closed before the request was registered: the close already failed the others, so fail this one here.
            response.completeExceptionally(dropped());
            return;
        }
        link.channel().writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                Throwable cause = written.cause();
                response.completeExceptionally(cause instanceof EncoderException ? cause
                        : new LinkUnavailableException(node.id(), "could not send " + request.type() + " to gateway "
                        + node.id() + " at " + address + ": " + cause, cause));
            }
        });
    }

    /** Closes the connection for good; requests waiting fail, later ones fail at once. */
    void close() {
        closed = true;
        eventLoop.execute(() -> {
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            LinkUnavailableException failure = new LinkUnavailableException(node.id(),
                    "the link to gateway " + node.id() + " is closed");
            current.completeExceptionally(failure);
            current = CompletableFuture.failedFuture(failure);
            if (channel != null) {
                channel.close();
            }
        });
    }

    private void connect(CompletableFuture<Authenticated> attempt) {
        CompletableFuture<Void> authenticated = new CompletableFuture<>();
        PendingRequests pending = new PendingRequests();
        ChannelFuture connecting = new Bootstrap()
                .group(eventLoop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        addTlsStage(ch, authenticated);
                        codec.addTo(ch.pipeline());
                        ch.pipeline().addLast(new ClientAuthHandler(node.id(), address, localNodeId,
                                settings.secret(), settings.authTimeout(), authenticated));
                        ch.pipeline().addLast(new ResponseHandler(node.id(), pending));
                        LinkCodec.addExceptionHandlerTo(ch.pipeline());
                    }
                })
                .connect(node.host(), node.internalPort());
        channel = connecting.channel();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                authenticated.completeExceptionally(new LinkUnavailableException(node.id(), "cannot connect to"
                        + " gateway " + node.id() + " at " + address + ": " + connected.cause().getMessage(),
                        connected.cause()));
            }
        });
        authenticated.whenComplete((ok, failure) ->
                eventLoop.execute(() -> attemptDone(attempt, connecting.channel(), pending, failure)));
    }

    /** With TLS on, a TLS failure fails the attempt with its reason (else it would read "closed"). */
    private void addTlsStage(SocketChannel ch, CompletableFuture<Void> authenticated) {
        LinkTls tls = settings.tls();
        if (tls.clientEnabled()) {
            tls.addClientStage(ch.pipeline(), node.host(), node.internalPort(), settings.authTimeout(), failure ->
                    authenticated.completeExceptionally(new LinkUnavailableException(node.id(), "TLS with gateway "
                            + node.id() + " at " + address + " failed: "
                            + LinkTls.describe(failure), failure)));
        }
    }

    private void attemptDone(CompletableFuture<Authenticated> attempt, Channel ch, PendingRequests pending,
                             Throwable failure) {
        if (failure == null && closed) {
            failure = new LinkUnavailableException(node.id(), "the link to gateway " + node.id() + " is closed");
        }
        if (failure != null) {
            ch.close();
            attempt.completeExceptionally(failure);
            if (!closed) {
                long delay = scheduleReconnect();
                log.warn("{}; retrying in {} ms", failure.getMessage(), TimeUnit.NANOSECONDS.toMillis(delay));
            }
            return;
        }
        backoff.reset();
        attempt.complete(new Authenticated(ch, pending));
        log.info("link to gateway {} at {} is up", node.id(), address);
        ch.closeFuture().addListener(closedFuture -> eventLoop.execute(this::connectionLost));
    }

    private void connectionLost() {
        if (closed) {
            return;
        }
        current = CompletableFuture.failedFuture(dropped());
        long delay = scheduleReconnect();
        log.warn("link to gateway {} at {} dropped; reconnecting in {} ms", node.id(), address,
                TimeUnit.NANOSECONDS.toMillis(delay));
    }

    private long scheduleReconnect() {
        reconnects.increment();
        long delay = backoff.nextNanos();
        reconnect = eventLoop.schedule(() -> {
            if (!closed) {
                CompletableFuture<Authenticated> next = new CompletableFuture<>();
                current = next;
                connect(next);
            }
        }, delay, TimeUnit.NANOSECONDS);
        return delay;
    }

    private LinkUnavailableException dropped() {
        return new LinkUnavailableException(node.id(), "the link to gateway " + node.id() + " at " + address
                + " dropped");
    }

    private LinkTimeoutException timedOut(LinkRequest request) {
        return new LinkTimeoutException(node.id(), "gateway " + node.id() + " at " + address + " did not answer "
                + request.type() + " request " + request.requestId() + " within "
                + settings.requestTimeout().toMillis() + " ms");
    }

    /** A fresh exception per request (each with its own stack), keeping the kind: a wrong secret stays one. */
    private LinkException unavailable(Throwable failure) {
        Throwable cause = Stages.cause(failure);
        if (cause instanceof LinkAuthenticationException) {
            return new LinkAuthenticationException(node.id(), cause.getMessage());
        }
        return new LinkUnavailableException(node.id(), cause.getMessage(), cause);
    }
}
