package io.herald.gateway.pipeline;

import io.herald.gateway.handler.DownstreamAckHandler;
import io.herald.gateway.handler.IdleCloseHandler;
import io.herald.gateway.handler.PingHandler;
import io.herald.gateway.handler.SessionLifecycleHandler;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.codec.FrameEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import java.time.Duration;

/**
 * Builds the device pipeline shared by every transport: frame codec, metrics, idle detection, session
 * lifecycle, auth gate, then one handler per frame type, and the exception handler last. Transports add
 * their own stages in front through {@link #addTransportHandlers} (nothing for TCP; HTTP upgrade and
 * WebSocket adapters for WebSocket).
 */
public abstract class DeviceChannelInitializer extends ChannelInitializer<Channel> {
    private final SharedHandlers shared;
    private final SessionLifecycleHandler lifecycle;
    private final int maxFrameBody;
    private final Duration idleTimeout;

    protected DeviceChannelInitializer(SharedHandlers shared, SessionLifecycleHandler lifecycle, int maxFrameBody,
                                       Duration idleTimeout) {
        this.shared = shared;
        this.lifecycle = lifecycle;
        this.maxFrameBody = maxFrameBody;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        addTransportHandlers(pipeline);
        // The decoder holds per-connection parse state, so each channel gets its own.
        pipeline.addLast(HandlerNames.FRAME_DECODER, new FrameDecoder(maxFrameBody));
        pipeline.addLast(HandlerNames.FRAME_ENCODER, FrameEncoder.INSTANCE);
        pipeline.addLast(HandlerNames.FRAME_METRICS, shared.frameMetrics());
        // The idle detector keeps a timer per channel: not sharable.
        pipeline.addLast(HandlerNames.IDLE, new IdleCloseHandler(idleTimeout, shared.disconnector()));
        pipeline.addLast(HandlerNames.SESSION_LIFECYCLE, lifecycle);
        if (shared.connectionLimit() != null) {
            pipeline.addLast(HandlerNames.CONNECTION_LIMIT, shared.connectionLimit());
        }
        pipeline.addLast(HandlerNames.AUTH_TIMEOUT, shared.authTimeout());
        pipeline.addLast(HandlerNames.DECODE_FAILURE, shared.decodeFailure());
        pipeline.addLast(HandlerNames.DEVICE_ERROR, shared.deviceError());
        pipeline.addLast(HandlerNames.AUTH, shared.auth());
        pipeline.addLast(HandlerNames.PING, PingHandler.INSTANCE);
        if (shared.upstreamRate() != null) {
            pipeline.addLast(HandlerNames.UPSTREAM_RATE, shared.upstreamRate());
        }
        pipeline.addLast(HandlerNames.UPSTREAM, shared.upstream());
        pipeline.addLast(HandlerNames.DOWNSTREAM_ACK, DownstreamAckHandler.INSTANCE);
        pipeline.addLast(HandlerNames.UNEXPECTED_FRAME, shared.unexpectedFrame());
        pipeline.addLast(HandlerNames.EXCEPTION, shared.exceptions());
    }

    /** Stages this transport needs before the frame decoder. */
    protected abstract void addTransportHandlers(ChannelPipeline pipeline);
}
