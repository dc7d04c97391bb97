package io.herald.gateway.handler;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.Frame;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/** Any frame no earlier handler took is one a device must not send (AUTH_OK, PONG, NOTICE, a second AUTH, ...). */
@Sharable
public final class UnexpectedFrameHandler extends SimpleChannelInboundHandler<Frame> {
    private final Disconnector disconnector;

    public UnexpectedFrameHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
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
