package io.herald.client.internal;

import io.herald.client.ConnectionLostException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Opens connections for one client on its event loop. Host names are resolved on the blocking executor, never
 * on the event loop (which thousands of clients share). Every outcome — including a failed lookup or connect —
 * reaches the {@link ConnectionHandler} and ends in its single {@code closed} report.
 */
public final class Connector {
    private final EventLoop eventLoop;
    private final Executor blockingExecutor;
    private final Supplier<SslContext> sslContext;
    private final int maxFrameBodyLength;
    private final Duration connectTimeout;
    private final Bootstrap bootstrap;

    public Connector(EventLoop eventLoop, Class<? extends SocketChannel> channelClass, Executor blockingExecutor,
                     Supplier<SslContext> sslContext, int maxFrameBodyLength, Duration connectTimeout) {
        this.eventLoop = eventLoop;
        this.blockingExecutor = blockingExecutor;
        this.sslContext = sslContext;
        this.maxFrameBodyLength = maxFrameBodyLength;
        this.connectTimeout = connectTimeout;
        this.bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        connectTimeout.toMillis()));
    }

    /** Starts connecting {@code handler} to {@code endpoint}; call on the event loop. */
    public void connect(GatewayEndpoint endpoint, ConnectionHandler handler) {
        SslContext tls;
        try {
            tls = endpoint.tls() ? sslContext.get() : null;
        } catch (RuntimeException e) {
            handler.fail(e);
            return;
        }
        ChannelFuture registration = bootstrap.clone()
                .handler(new ClientChannelInitializer(endpoint, handler, tls, maxFrameBodyLength, connectTimeout))
                .register();
        registration.addListener(registered -> {
            if (!registered.isSuccess()) {
                handler.fail(new ConnectionLostException("cannot register a channel for " + endpoint.describe(),
                        registered.cause()));
                return;
            }
            Channel channel = registration.channel();
            if (!handler.isAttached()) {
                // The initializer failed before adding the handler; without this nothing would report.
                channel.close();
                handler.fail(new ConnectionLostException("cannot set up the pipeline for " + endpoint.describe()));
                return;
            }
            resolve(endpoint).whenComplete((address, lookupFailure) -> runOnLoop(() -> {
                if (lookupFailure != null) {
                    handler.fail(new ConnectionLostException("cannot resolve gateway host " + endpoint.host()
                            + ": " + ConnectionHandler.describe(lookupFailure), lookupFailure));
                } else if (channel.isOpen()) {
                    channel.connect(address).addListener(connected -> {
                        if (!connected.isSuccess()) {
                            handler.fail(new ConnectionLostException("cannot connect to " + endpoint.describe()
                                    + ": " + ConnectionHandler.describe(connected.cause()), connected.cause()));
                        }
                    });
                }
            }));
        });
    }

    private CompletableFuture<InetSocketAddress> resolve(GatewayEndpoint endpoint) {
        String host = endpoint.host();
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            // A literal needs no lookup: InetSocketAddress parses it without touching DNS.
            return CompletableFuture.completedFuture(new InetSocketAddress(host, endpoint.port()));
        }
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        try {
            blockingExecutor.execute(() -> {
                InetSocketAddress address = new InetSocketAddress(host, endpoint.port());
                if (address.isUnresolved()) {
                    result.completeExceptionally(new UnknownHostException(host));
                } else {
                    result.complete(address);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void runOnLoop(Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException e) {
            // The resources are shutting down: the channel goes with the event loop, nothing left to report to.
        }
    }
}
