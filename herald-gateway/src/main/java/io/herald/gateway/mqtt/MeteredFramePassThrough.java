package io.herald.gateway.mqtt;

import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.protocol.frame.Frame;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * The device stage's outbound job on an MQTT connection: counts the frames going out by type, as Herald's encoder
 * does, and passes them on unencoded to the {@link MqttAdapter} in front, which turns them into MQTT packets.
 */
@Sharable
final class MeteredFramePassThrough extends ChannelOutboundHandlerAdapter {
    private final GatewayMetrics metrics;

    MeteredFramePassThrough(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Frame frame) {
            metrics.frameOut(frame.type());
        }
        ctx.write(msg, promise);
    }
}
