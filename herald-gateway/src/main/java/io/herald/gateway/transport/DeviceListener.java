package io.herald.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;

/**
 * One listening socket for devices. Write-buffer water marks make a channel unwritable once 64 KiB are queued
 * for a slow device, which delivery respects; the large accept backlog absorbs reconnect storms.
 */
public final class DeviceListener implements AutoCloseable {
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    private static final int ACCEPT_BACKLOG = 8192;

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
