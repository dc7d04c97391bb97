package io.herald.bench.baseline;

import io.herald.bench.sim.NettyTransport;
import io.herald.protocol.ContentType;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.codec.FrameEncoder;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.herald.protocol.AckStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ideal against which Herald is measured: only the network part of a push system. It accepts connections,
 * answers AUTH with AUTH_OK without checking anything, PING with PONG, and on a MESSAGE from the control
 * connection either relays it to one device or fans one pre-encoded frame out to every device, one task per
 * event loop (the best a Netty program can do). No auth, no registry beyond a map, no store, no retries.
 */
public final class BaselineServer implements AutoCloseable {
    private static final AttributeKey<String> CLIENT_ID = AttributeKey.valueOf("baselineClientId");
    private static final long HEARTBEAT_MILLIS = 30_000;

    private final EventLoopGroup group;
    private final Channel listener;
    private final Map<String, Channel> devices = new ConcurrentHashMap<>();

    /** @param ioThreads 0 for two per core, as Herald's gateway */
    public BaselineServer(String bind, int port, int ioThreads) {
        NettyTransport transport = NettyTransport.detect();
        group = transport.newGroup(ioThreads > 0 ? ioThreads : 2 * Runtime.getRuntime().availableProcessors(),
                "baseline-io");
        Handler handler = new Handler();
        listener = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(Wire.DEFAULT_MAX_BODY_LENGTH), FrameEncoder.INSTANCE,
                                handler);
                    }
                })
                .bind(new InetSocketAddress(bind, port)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Sharable
    private final class Handler extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            Channel channel = ctx.channel();
            if (msg instanceof AuthFrame auth) {
                channel.attr(CLIENT_ID).set(auth.token());
                if (!BaselineProtocol.CONTROL_TOKEN.equals(auth.token())) {
                    devices.put(auth.token(), channel);
                }
                ctx.writeAndFlush(new AuthOkFrame(HEARTBEAT_MILLIS, auth.token(), "baseline"), ctx.voidPromise());
            } else if (msg instanceof PingFrame) {
                ctx.writeAndFlush(PongFrame.INSTANCE, ctx.voidPromise());
            } else if (msg instanceof MessageFrame message
                    && BaselineProtocol.CONTROL_TOKEN.equals(channel.attr(CLIENT_ID).get())) {
                int written = BaselineProtocol.BROADCAST.equals(message.traceId()) ? broadcast(message) : relay(message);
                ctx.writeAndFlush(new AckFrame(message.messageId(), AckStatus.OK, Integer.toString(written)),
                        ctx.voidPromise());
            }
            // Device ACKs and anything else are dropped: the baseline keeps no delivery state.
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            String clientId = ctx.channel().attr(CLIENT_ID).get();
            if (clientId != null) {
                devices.remove(clientId, ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private int relay(MessageFrame message) {
        Channel target = devices.get(message.traceId());
        if (target == null) {
            return 0;
        }
        target.writeAndFlush(stamped(message), target.voidPromise());
        return 1;
    }

    /** Encodes once, then one task per event loop writes a duplicate of the same bytes to each of its channels. */
    private int broadcast(MessageFrame message) {
        Map<EventLoop, List<Channel>> byLoop = new IdentityHashMap<>();
        int count = 0;
        for (Channel channel : devices.values()) {
            byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>()).add(channel);
            count++;
        }
        ByteBuf encoded = FrameCodec.encode(listener.alloc(), stamped(message));
        try {
            for (Map.Entry<EventLoop, List<Channel>> group : byLoop.entrySet()) {
                ByteBuf shared = encoded.retain();
                List<Channel> channels = group.getValue();
                group.getKey().execute(() -> {
                    try {
                        for (Channel channel : channels) {
                            channel.writeAndFlush(shared.retainedDuplicate(), channel.voidPromise());
                        }
                    } finally {
                        shared.release();
                    }
                });
            }
        } finally {
            encoded.release();
        }
        return count;
    }

    /** As Herald does: the server stamps the creation time and a trace id; the payload passes through. */
    private static MessageFrame stamped(MessageFrame message) {
        return new MessageFrame(message.messageId(), ContentType.TEXT, message.qos(), false, BaselineProtocol.TRACE_ID,
                System.currentTimeMillis(), message.payload());
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
