package io.herald.cluster.link.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in a plain link server's pipeline: an API node whose link speaks TLS sends a ClientHello, which the frame
 * decoder would report as an absurd frame length. Recognised here from its first bytes, it is logged for what it is
 * and the connection closed; anything else passes, and the guard leaves the pipeline after the first read.
 */
public final class PlainLinkGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PlainLinkGuard.class);
    /** A TLS record header: type, version, length. */
    private static final int RECORD_HEADER_LENGTH = 5;

    private final String gatewayId;

    public PlainLinkGuard(String gatewayId) {
        this.gatewayId = gatewayId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf bytes && bytes.readableBytes() >= RECORD_HEADER_LENGTH
                && SslHandler.isEncrypted(bytes, false)) {
            log.warn("gateway {}: refusing link from {}: it speaks TLS but this gateway's link is plain (give the"
                    + " gateway --link-tls-cert and --link-tls-key, or drop --link-tls-trust on the API node)",
                    gatewayId, ctx.channel().remoteAddress());
            bytes.release();
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(message);
    }
}
