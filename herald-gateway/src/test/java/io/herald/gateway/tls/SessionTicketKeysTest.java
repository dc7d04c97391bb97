package io.herald.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real TLS 1.3 handshakes on loopback between the gateway's engine (BoringSSL) and a JDK client that keeps its
 * session, with the wall clock of the key periods moved by hand: a ticket resumes after one key rotation, and not
 * after two; and it resumes on another server context with the same {@link TicketSecret} (the node restarted, or
 * another gateway of the cluster), not on one with another secret.
 */
class SessionTicketKeysTest {
    private static final Duration ROTATION = Duration.ofHours(1);
    /**
     * The port the client files its session under, whatever port it connects to: the JDK client offers a ticket
     * only to the host and port it got it from, and here every server is that one server after a restart.
     */
    private static final int PEER_PORT = 443;

    /** Epoch milliseconds, at the start of a period. */
    private final AtomicLong clock = new AtomicLong(Math.floorDiv(System.currentTimeMillis(), ROTATION.toMillis())
            * ROTATION.toMillis());
    /** Whether each server-side handshake resumed, in order. */
    private final BlockingQueue<Boolean> resumed = new LinkedBlockingQueue<>();
    private final TicketSecret secret = TicketSecret.random(new SecureRandom());
    private EventLoopGroup group;
    private SelfSignedCertificate certificate;
    private SslContext client;
    private SessionTicketKeys keys;
    private int port;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        certificate = SelfSignedCertificate.builder().fqdn("localhost").build();
        client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3")
                .trustManager(certificate.cert()).build();
        port = listen(secret);
    }

    /** A server (its own TLS context and key holder, as after a restart) on a new port; returns the port. */
    private int listen(TicketSecret tickets) throws Exception {
        SslContext server = SslContextBuilder.forServer(certificate.key(), certificate.cert())
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3").build();
        keys = new SessionTicketKeys((OpenSslSessionContext) server.sessionContext(), tickets, ROTATION, clock::get);
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(server.newHandler(channel.alloc()), new ResumptionReporter(resumed));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        certificate.delete();
    }

    @Test
    void aTicketResumesAfterOneRotationButNotAfterTwo() throws Exception {
        assertThat(connect()).as("first connection").isFalse();
        assertThat(connect()).as("same key").isTrue();

        rotate();
        assertThat(connect()).as("sealed by the previous key").isTrue();

        rotate();
        rotate();
        assertThat(connect()).as("sealed by a dropped key").isFalse();
        assertThat(connect()).as("the new ticket").isTrue();
    }

    @Test
    void noRotationBeforeThePeriodIsOver() throws Exception {
        connect();
        clock.addAndGet(ROTATION.toMillis() - 1);
        keys.rotateIfDue();

        assertThat(connect()).isTrue();
        assertThat(keys.ticketLifetime()).isEqualTo(ROTATION);
    }

    @Test
    void aTicketResumesOnAnotherServerWithTheSameSecretEvenFromOnePeriodAhead() throws Exception {
        assertThat(connect()).as("first connection").isFalse();

        port = listen(secret); // the node restarted (or another gateway of the cluster): same secret, new context
        assertThat(connect()).as("the first server's ticket").isTrue();

        clock.addAndGet(-ROTATION.toMillis());
        port = listen(secret); // a gateway whose clock is still in the previous period
        assertThat(connect()).as("a ticket sealed one period ahead").isTrue();
    }

    @Test
    void aTicketDoesNotResumeOnAServerWithAnotherSecret() throws Exception {
        assertThat(connect()).as("first connection").isFalse();

        port = listen(TicketSecret.random(new SecureRandom()));
        assertThat(connect()).as("another secret's server").isFalse();
    }

    private void rotate() {
        clock.addAndGet(ROTATION.toMillis());
        keys.rotateIfDue();
    }

    /** One connection with a finished handshake; whether the server resumed the session. */
    private boolean connect() throws Exception {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(client.newHandler(channel.alloc(), "localhost", PEER_PORT),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        // the server's one byte: its new session ticket came before it
                                        ReferenceCountUtil.release(msg);
                                        answered.complete(null);
                                    }
                                });
                    }
                }).connect("127.0.0.1", port).sync().channel();
        try {
            answered.get(10, TimeUnit.SECONDS);
            return resumed.poll(10, TimeUnit.SECONDS);
        } finally {
            channel.close().sync();
        }
    }

    /** Server side: records whether each handshake resumed, then writes one byte, which flushes the tickets. */
    private static final class ResumptionReporter extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Boolean> resumed;

        ResumptionReporter(BlockingQueue<Boolean> resumed) {
            this.resumed = resumed;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
                ReferenceCountedOpenSslEngine engine =
                        (ReferenceCountedOpenSslEngine) ctx.pipeline().get(SslHandler.class).engine();
                resumed.add(SSL.isSessionReused(engine.sslPointer()));
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
            }
            ctx.fireUserEventTriggered(event);
        }
    }
}
