package io.herald.cluster.link.wire;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of both ends' pipelines: a frame that cannot be decoded (bad length, version, type or body) is
 * answered with a MALFORMED_FRAME error and the connection closed; an I/O error just closes it; anything else is
 * logged as a bug and closes it. Nothing reaches Netty's "unhandled exception" warning.
 */
@Sharable
public final class LinkExceptionHandler extends ChannelInboundHandlerAdapter {
    public static final LinkExceptionHandler INSTANCE = new LinkExceptionHandler();
    private static final Logger log = LoggerFactory.getLogger(LinkExceptionHandler.class);

    private LinkExceptionHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (cause instanceof DecoderException) {
            String reason = cause.getMessage();
            log.warn("link {}: malformed frame, closing: {}", ctx.channel().remoteAddress(), reason);
            ctx.writeAndFlush(LinkError.ofConnection(LinkErrorCode.MALFORMED_FRAME, reason))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof IOException) {
            log.debug("link {}: I/O error, closing: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.error("link {}: unexpected failure, closing", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
