package io.herald.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behind Netty's PROXY header decoder: takes the device's address from the header ({@link DeviceAddress}), then lets
 * the stages behind see the connection active and leaves. A malformed header closes the connection (the decoder
 * already did; this counts and logs it).
 */
final class ProxiedAddress extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocol.class);

    private final ProxyProtocol proxy;
    private final ScheduledFuture<?> timeout;

    ProxiedAddress(ProxyProtocol proxy, ScheduledFuture<?> timeout) {
        this.proxy = proxy;
        this.timeout = timeout;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        try {
            InetSocketAddress source = sourceOf(header);
            if (source != null) {
                ctx.channel().attr(DeviceAddress.PROXIED).set(source);
                proxy.proxied.increment();
            } else {
                proxy.local.increment();
            }
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive(); // a removed context still passes events on to the next one
    }

    /** The device's address, or null when the header names none to use (LOCAL, UNKNOWN, UDP, UNIX sockets). */
    private static InetSocketAddress sourceOf(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY || (header.proxiedProtocol() != HAProxyProxiedProtocol.TCP4
                && header.proxiedProtocol() != HAProxyProxiedProtocol.TCP6)) {
            return null;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HAProxyProtocolException) {
            proxy.refused.increment();
            log.debug("closing {}: bad PROXY protocol header: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
