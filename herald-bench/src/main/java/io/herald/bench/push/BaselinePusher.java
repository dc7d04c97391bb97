package io.herald.bench.push;

import io.herald.bench.baseline.BaselineProtocol;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.codec.FrameEncoder;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.bench.sim.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes to the baseline server over one control connection (the stand-in for the HTTP push API): a MESSAGE
 * whose trace id names the target (or {@link BaselineProtocol#BROADCAST}); the server answers with an ACK whose
 * reason is the number of devices it wrote to.
 */
public final class BaselinePusher implements Pusher {
    private final Channel channel;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Accepted>> pending = new ConcurrentHashMap<>();

    public BaselinePusher(EventLoopGroup group, NettyTransport transport, InetSocketAddress server) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(Wire.DEFAULT_MAX_BODY_LENGTH), FrameEncoder.INSTANCE,
                                new AckReader());
                    }
                });
        this.channel = bootstrap.connect(server).syncUninterruptibly().channel();
        channel.writeAndFlush(new AuthFrame(BaselineProtocol.CONTROL_TOKEN)).syncUninterruptibly();
    }

    @Override
    public CompletableFuture<Accepted> push(String clientId, int qos, String payload) {
        long id = ids.incrementAndGet();
        CompletableFuture<Accepted> accepted = new CompletableFuture<>();
        pending.put(id, accepted);
        String target = clientId == null ? BaselineProtocol.BROADCAST : clientId;
        channel.writeAndFlush(new MessageFrame(id, ContentType.TEXT, qos == 1 ? Qos.AT_LEAST_ONCE : Qos.AT_MOST_ONCE,
                false, target, System.currentTimeMillis(), payload.getBytes(StandardCharsets.US_ASCII)),
                channel.voidPromise());
        return accepted.orTimeout(30, TimeUnit.SECONDS);
    }

    private final class AckReader extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof AckFrame ack) {
                CompletableFuture<Accepted> accepted = pending.remove(ack.messageId());
                if (accepted != null) {
                    accepted.complete(new Accepted(ack.messageId(), Integer.parseInt(ack.reason()), 0));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.values().forEach(f -> f.completeExceptionally(new ClosedChannelException()));
            pending.clear();
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
