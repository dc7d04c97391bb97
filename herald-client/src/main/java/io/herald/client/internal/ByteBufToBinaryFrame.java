package io.herald.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;

/** Wraps each encoded Herald frame in one binary WebSocket message. Public for the bench's device simulator. */
@Sharable
public final class ByteBufToBinaryFrame extends MessageToMessageEncoder<ByteBuf> {
    public static final ByteBufToBinaryFrame INSTANCE = new ByteBufToBinaryFrame();

    private ByteBufToBinaryFrame() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
        // The encoder releases `bytes` after this returns; the WebSocket frame takes its own reference.
        out.add(new BinaryWebSocketFrame(bytes.retain()));
    }
}
