package io.herald.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A gateway's device pipelines (TCP and WebSocket) behind Netty's in-VM transport: real channels on real event
 * loops, so back-pressure, paused reads while a token is checked, and work that upstream handlers and the offline
 * store hand back to the event loop from other threads all behave as on a socket, without ports, and many
 * connections a second. ({@code EmbeddedChannel}'s event loop is not safe for tasks from other threads.)
 */
final class LocalDeviceServer implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /**
     * One thread for both ends: across two event loops the in-VM transport can deliver a close before the bytes
     * written just before it (a socket does not), and a device would miss the gateway's last frame.
     */
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final LocalAddress tcp = new LocalAddress(LocalDeviceServer.class);
    private final LocalAddress webSocket = new LocalAddress(LocalDeviceServer.class);
    private final Channel tcpServer;
    private final Channel webSocketServer;

    LocalDeviceServer(GatewayCore core) throws InterruptedException {
        tcpServer = bind(tcp, core.tcpInitializer());
        webSocketServer = bind(webSocket, core.webSocketInitializer());
    }

    private Channel bind(LocalAddress address, ChannelInitializer<Channel> pipeline) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(pipeline)
                .bind(address).sync().channel();
    }

    /** A device connected to the TCP pipeline. */
    Device connectTcp() throws InterruptedException {
        return connect(tcp);
    }

    /** A device connected to the WebSocket pipeline (it still has to send the HTTP upgrade). */
    Device connectWebSocket() throws InterruptedException {
        return connect(webSocket);
    }

    private Device connect(LocalAddress address) throws InterruptedException {
        Device device = new Device();
        ChannelFuture connected = new Bootstrap().group(group).channel(LocalChannel.class).handler(device)
                .connect(address).sync();
        device.channel = connected.channel();
        return device;
    }

    @Override
    public void close() {
        tcpServer.close().syncUninterruptibly();
        webSocketServer.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The device end of a connection: writes bytes, keeps every byte the gateway sent. */
    static final class Device extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile Channel channel;

        /**
         * Writes {@code bytes} as one read for the gateway. Returns false, writing nothing, once the gateway has
         * closed the connection: a real device's later bytes would go nowhere.
         */
        boolean write(byte[] bytes) throws InterruptedException {
            if (!channel.isActive()) {
                return false;
            }
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(Math.max(bytes.length, 1)).writeBytes(bytes);
            // A failed write (the gateway closed meanwhile) releases the buffer itself.
            return channel.writeAndFlush(buf).await().isSuccess();
        }

        boolean isOpen() {
            return channel.isActive();
        }

        /** Waits (bounded) until the gateway has closed the connection; false if it did not. */
        boolean awaitClosed() throws InterruptedException {
            return channel.closeFuture().await(WAIT.toMillis());
        }

        /** Waits (bounded) until what the gateway sent satisfies {@code condition}; false if it never did. */
        boolean awaitReceived(Predicate<byte[]> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.test(received())) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(1);
            }
            return true;
        }

        byte[] received() {
            synchronized (received) {
                return received.toByteArray();
            }
        }

        void close() {
            channel.close().syncUninterruptibly();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                byte[] bytes = ByteBufUtil.getBytes((ByteBuf) msg);
                synchronized (received) {
                    received.writeBytes(bytes);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
