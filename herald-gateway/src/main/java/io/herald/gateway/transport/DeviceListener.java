package io.herald.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;

/**
 * One listening socket for devices. Write-buffer water marks make a channel unwritable once 64 KiB are queued
 * for a slow device, which delivery respects; the large accept backlog absorbs reconnect storms.
 */
public final class DeviceListener implements AutoCloseable {
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    private static final int ACCEPT_BACKLOG = 8192;
    /**
     * Netty's default read sizing (adaptive, 16 reads per loop turn as for every stream channel), but one allocator for
     * every connection: the default makes one per channel (32 bytes each). It holds only settings; what it learns
     * about each connection is in that connection's handle.
     */
    private static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(16);

    private final Channel serverChannel;

    private DeviceListener(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    public static DeviceListener bind(Transport transport, EventLoopGroup boss, EventLoopGroup workers,
                                      String host, int port, ChannelHandler initializer)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES)
                .childHandler(initializer);
        try {
            return new DeviceListener(bootstrap.bind(host, port).sync().channel());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty rethrows the socket's IOException unchecked; an operator needs the port, not a stack trace.
            throw new IllegalStateException("device listener cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
