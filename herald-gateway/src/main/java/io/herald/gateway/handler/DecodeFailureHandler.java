package io.herald.gateway.handler;

import io.herald.protocol.codec.DecodeFailure;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/** Answers malformed input (a {@link DecodeFailure} from the frame decoder) with an ERROR frame and a close. */
@Sharable
public final class DecodeFailureHandler extends SimpleChannelInboundHandler<DecodeFailure> {
    private final Disconnector disconnector;

    public DecodeFailureHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DecodeFailure failure) {
        disconnector.protocolError(ctx.channel(), failure.code(), failure.reason());
    }
}
