package io.herald.gateway.handler;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.Frame;
import io.netty.channel.ChannelHandlerContext;

/**
 * A frame of a type an authenticated device must not send (AUTH_OK, PONG, NOTICE, a second AUTH, ...): ERROR and a
 * close.
 */
public final class UnexpectedFrameHandler implements FrameHandler<Frame> {
    private final Disconnector disconnector;

    public UnexpectedFrameHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof AuthFrame) {
            // the auth gate left the pipeline when this connection authenticated
            disconnector.protocolError(ctx.channel(), ErrorCode.ALREADY_AUTHENTICATED,
                    "this connection is already authenticated");
            return;
        }
        disconnector.protocolError(ctx.channel(), ErrorCode.UNEXPECTED_FRAME,
                frame.type() + " is not a frame a device may send");
    }
}
