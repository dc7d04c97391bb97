package io.herald.gateway.pipeline;

import io.herald.gateway.handler.SessionLifecycleHandler;
import io.netty.channel.ChannelPipeline;

/** Device connections over plain TCP: the frames are the byte stream. */
public final class TcpChannelInitializer extends DeviceChannelInitializer {

    public TcpChannelInitializer(SharedHandlers shared, SessionLifecycleHandler lifecycle, int maxFrameBody) {
        super(shared, lifecycle, maxFrameBody);
    }

    @Override
    protected void addTransportHandlers(ChannelPipeline pipeline) {
        // nothing: TCP carries frames directly
    }
}
