package io.herald.gateway.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;

/** Wraps each encoded Herald frame in one binary WebSocket message. */
@Sharable
final class WebSocketBinaryFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    static final WebSocketBinaryFrameEncoder INSTANCE = new WebSocketBinaryFrameEncoder();

    private WebSocketBinaryFrameEncoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
        out.add(new BinaryWebSocketFrame(bytes.retain()));
    }
}
