package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import io.netty.channel.ChannelHandlerContext;

/**
 * Answers PING with PONG, locally: heartbeats never leave the gateway. PONGs are coalesced: while one is still
 * waiting to be written (a device that does not read), a further PING is answered by that one, so a flood of PINGs
 * costs one PONG, not one each; and reading pauses until that PONG is out, so the flood waits in TCP's flow
 * control instead of costing the gateway CPU.
 */
public final class PingHandler implements FrameHandler<PingFrame> {
    public static final PingHandler INSTANCE = new PingHandler();

    private PingHandler() {
    }

    @Override
    public void handle(ChannelHandlerContext ctx, PingFrame ping) {
        DeviceSession.of(ctx.channel()).answerHeartbeat(() -> ctx.channel().writeAndFlush(PongFrame.INSTANCE));
    }
}
