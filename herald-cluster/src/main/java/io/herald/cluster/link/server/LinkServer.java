package io.herald.cluster.link.server;

import io.herald.cluster.link.LinkEndpoint;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.tls.LinkTls;
import io.herald.cluster.link.tls.PlainLinkGuard;
import io.herald.cluster.link.wire.LinkCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway end of the internal links: listens on the gateway's internal port, makes every connection
 * authenticate (see {@link ServerAuthHandler}), then serves its requests with the {@link LinkEndpoint}.
 *
 * <p>Pipeline per connection: with TLS, the TLS stage (see {@link LinkTls}), else a guard against TLS clients; then
 * framing, decoder, encoder (see {@link LinkCodec}), then {@code auth}, which replaces itself with {@code requests}
 * once the API node has proved it knows the cluster secret, and the exception handler.
 */
public final class LinkServer implements AutoCloseable {
    static final String AUTH = "link-auth";
    static final String REQUESTS = "link-requests";
    private static final Logger log = LoggerFactory.getLogger(LinkServer.class);

    private final String gatewayId;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Channel serverChannel;
    /** The accepted connections, closed with the server (closing the listener alone leaves them open). */
    private final ChannelGroup connections;

    private LinkServer(String gatewayId, EventLoopGroup group, boolean ownsGroup, Channel serverChannel,
                       ChannelGroup connections) {
        this.gatewayId = gatewayId;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Binds {@code host:port} (port 0: any free port, see {@link #port()}) on an NIO event loop group of its own,
     * closed with the server.
     */
    public static LinkServer start(String gatewayId, String host, int port, LinkSettings settings,
                                   LinkEndpoint endpoint) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            return start(gatewayId, host, port, settings, endpoint, group, true);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Like {@link #start(String, String, int, LinkSettings, LinkEndpoint)} on the caller's NIO event loop group. */
    public static LinkServer start(String gatewayId, String host, int port, LinkSettings settings,
                                   LinkEndpoint endpoint, EventLoopGroup group) throws InterruptedException {
        return start(gatewayId, host, port, settings, endpoint, group, false);
    }

    private static LinkServer start(String gatewayId, String host, int port, LinkSettings settings,
                                    LinkEndpoint endpoint, EventLoopGroup group, boolean ownsGroup)
            throws InterruptedException {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(endpoint, "endpoint");
        LinkCodec codec = new LinkCodec(settings.maxFrameLength());
        RequestHandler requests = new RequestHandler(endpoint);
        ChannelGroup connections = new DefaultChannelGroup("link-connections", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        addTlsStage(gatewayId, settings, channel);
                        codec.addTo(channel.pipeline());
                        // Per connection: it holds this connection's nonce and auth timer.
                        channel.pipeline().addLast(AUTH, new ServerAuthHandler(gatewayId, settings, requests));
                        LinkCodec.addExceptionHandlerTo(channel.pipeline());
                    }
                });
        Channel serverChannel;
        try {
            serverChannel = bootstrap.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty rethrows the socket's IOException unchecked; an operator needs the port, not a stack trace.
            throw new IllegalStateException("internal link cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        LinkServer server = new LinkServer(gatewayId, group, ownsGroup, serverChannel, connections);
        log.info("gateway {}: internal link listening on {}{}", gatewayId, serverChannel.localAddress(),
                settings.tls().serverEnabled() ? " (TLS)" : "");
        return server;
    }

    private static void addTlsStage(String gatewayId, LinkSettings settings, SocketChannel channel) {
        LinkTls tls = settings.tls();
        if (!tls.serverEnabled()) {
            channel.pipeline().addLast(new PlainLinkGuard(gatewayId));
            return;
        }
        tls.addServerStage(channel.pipeline(), settings.authTimeout(), failure ->
                log.warn("gateway {}: refusing link from {}: TLS failed: {}", gatewayId,
                        channel.remoteAddress(), LinkTls.describe(failure)));
    }

    /** The bound port (the actual one when 0 was asked for). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops listening and closes every link; shuts the event loop group down if it is this server's own. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        log.info("gateway {}: internal link closed", gatewayId);
    }
}
