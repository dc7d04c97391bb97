package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.ErrorCode;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every pipeline. Connection resets and other I/O errors are routine with devices on mobile networks
 * and are logged at debug; corrupt WebSocket input gets a protocol error; anything else is a bug, logged as a
 * warning, and the connection is closed with INTERNAL_ERROR.
 */
@Sharable
public final class ExceptionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ExceptionHandler.class);

    private final Disconnector disconnector;

    public ExceptionHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        String prefix = session != null ? session.logPrefix() : String.valueOf(ctx.channel());
        if (cause instanceof IOException) {
            log.debug("{} I/O error: {}", prefix, cause.toString());
            ctx.close();
        } else if (cause instanceof CorruptedFrameException) {
            disconnector.protocolError(ctx.channel(), ErrorCode.MALFORMED_FRAME, cause.getMessage());
        } else {
            log.warn("{} unexpected error; closing the connection", prefix, cause);
            disconnector.protocolError(ctx.channel(), ErrorCode.INTERNAL_ERROR, "internal error");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg); // nothing reaches the tail unhandled
    }
}
