package io.herald.gateway.pipeline;

import io.herald.gateway.session.DeviceSession;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

/**
 * Answers WebSocket pings itself, in front of Netty's protocol handler: that one writes a pong for every ping and then
 * asks for the next read even while reading is paused, so a client flooding pings and never reading would grow the
 * outbound buffer without bound. Here pongs are coalesced like Herald's PONG
 * ({@link DeviceSession#answerHeartbeat}): while one waits to be written, a further ping gets none and reading pauses
 * until it is out. Unsolicited pongs from the
 * client are dropped here for the same reason.
 */
@Sharable
final class WebSocketPingHandler extends ChannelInboundHandlerAdapter {
    static final WebSocketPingHandler INSTANCE = new WebSocketPingHandler();

    private WebSocketPingHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
        } else if (msg instanceof PingWebSocketFrame ping) {
            if (!DeviceSession.of(ctx.channel()).answerHeartbeat(
                    () -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content())))) {
                ping.release(); // answered by the pong still waiting
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
