package io.herald.client.internal;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;

/**
 * Unwraps binary WebSocket messages into plain bytes for the frame decoder, which accumulates across messages:
 * a message may hold several Herald frames, and a frame could in principle span messages. Public for the bench's
 * device simulator.
 */
@Sharable
public final class BinaryFrameToByteBuf extends MessageToMessageDecoder<BinaryWebSocketFrame> {
    public static final BinaryFrameToByteBuf INSTANCE = new BinaryFrameToByteBuf();

    private BinaryFrameToByteBuf() {
        super(BinaryWebSocketFrame.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, BinaryWebSocketFrame frame, List<Object> out) {
        // The decoder releases the WebSocket frame after this returns; the content lives on in `out`.
        out.add(frame.content().retain());
    }
}
