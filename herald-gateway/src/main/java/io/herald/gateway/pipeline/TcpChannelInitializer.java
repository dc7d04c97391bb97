package io.herald.gateway.pipeline;

import io.netty.channel.ChannelPipeline;

/** Device connections over plain TCP: the frames (or MQTT packets) are the byte stream. */
public final class TcpChannelInitializer extends DeviceChannelInitializer {

    public TcpChannelInitializer(SharedHandlers shared, DeviceProtocol protocol) {
        super(shared, protocol);
    }

    @Override
    protected void addTransportHandlers(ChannelPipeline pipeline) {
        // nothing: TCP carries frames directly
    }
}
