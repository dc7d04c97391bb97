package io.herald.gateway.pipeline;

import io.herald.gateway.handler.DeviceStage;
import io.herald.protocol.codec.FrameDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** Herald's binary frames (docs/protocol.md): the frame decoder in front, AUTH as the gate. */
public record HeraldProtocol(DeviceStage stage, ChannelHandler gate, int maxFrameBody) implements DeviceProtocol {

    @Override
    public void addCodec(ChannelPipeline pipeline, String before) {
        // The decoder holds per-connection parse state, so each channel gets its own.
        FrameDecoder decoder = new FrameDecoder(maxFrameBody);
        if (before == null) {
            pipeline.addLast(HandlerNames.FRAME_DECODER, decoder);
        } else {
            pipeline.addBefore(before, HandlerNames.FRAME_DECODER, decoder);
        }
    }
}
