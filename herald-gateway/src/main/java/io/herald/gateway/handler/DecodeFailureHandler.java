package io.herald.gateway.handler;

import io.herald.protocol.codec.DecodeFailure;
import io.netty.channel.ChannelHandlerContext;

/**
 * Answers malformed input (a {@link DecodeFailure} from the frame decoder, before or after AUTH) with an ERROR frame
 * and a close.
 */
public final class DecodeFailureHandler implements FrameHandler<DecodeFailure> {
    private final Disconnector disconnector;

    public DecodeFailureHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, DecodeFailure failure) {
        disconnector.protocolError(ctx.channel(), failure.code(), failure.reason());
    }
}
