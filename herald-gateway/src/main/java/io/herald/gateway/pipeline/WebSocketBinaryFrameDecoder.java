package io.herald.gateway.pipeline;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.codec.DecodeFailure;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Passes the bytes of binary (and continuation) WebSocket messages on to the frame decoder as a stream. Text
 * messages are not part of the protocol: they become a decode failure, answered with an ERROR frame.
 */
@Sharable
final class WebSocketBinaryFrameDecoder extends SimpleChannelInboundHandler<WebSocketFrame> {
    static final WebSocketBinaryFrameDecoder INSTANCE = new WebSocketBinaryFrameDecoder();

    private WebSocketBinaryFrameDecoder() {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(frame.content().retain());
        } else if (frame instanceof TextWebSocketFrame) {
            ctx.fireChannelRead(new DecodeFailure(ErrorCode.MALFORMED_FRAME,
                    "text WebSocket messages are not accepted; send frames as binary messages"));
        }
    }
}
