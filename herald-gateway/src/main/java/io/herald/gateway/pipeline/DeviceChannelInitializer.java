package io.herald.gateway.pipeline;

import io.herald.gateway.handler.SessionLifecycleHandler;
import io.herald.protocol.codec.FrameDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Builds the device pipeline shared by every transport (TCP, WebSocket, each with or without TLS): frame codec,
 * session lifecycle, the pre-auth stages, the frame dispatcher, the auth gate, and the exception handler last.
 * Transports add their own stages in front through {@link #addTransportHandlers} (nothing for TCP; HTTP upgrade and
 * WebSocket adapters for WebSocket; {@link TlsChannelInitializer} puts TLS in front of either).
 *
 * <p>An authenticated connection keeps five stages (decoder, encoder, lifecycle, dispatcher, exception handler) plus
 * its transport's. The connection limit leaves at once, the auth timer and the gate at AUTH_OK;
 * every frame type is handled behind the one dispatcher, and idleness is checked by one sweep per event loop
 * ({@code IdleSweep}) instead of a timer per connection. Each stage costs a handler context per connection.
 */
public abstract class DeviceChannelInitializer extends ChannelInitializer<Channel> {
    private final SharedHandlers shared;
    private final SessionLifecycleHandler lifecycle;
    private final int maxFrameBody;

    protected DeviceChannelInitializer(SharedHandlers shared, SessionLifecycleHandler lifecycle, int maxFrameBody) {
        this.shared = shared;
        this.lifecycle = lifecycle;
        this.maxFrameBody = maxFrameBody;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        addTransportHandlers(pipeline);
        // The decoder holds per-connection parse state, so each channel gets its own.
        pipeline.addLast(HandlerNames.FRAME_DECODER, new FrameDecoder(maxFrameBody));
        pipeline.addLast(HandlerNames.FRAME_ENCODER, shared.frameEncoder());
        pipeline.addLast(HandlerNames.SESSION_LIFECYCLE, lifecycle);
        if (shared.connectionLimit() != null) {
            pipeline.addLast(HandlerNames.CONNECTION_LIMIT, shared.connectionLimit());
        }
        pipeline.addLast(HandlerNames.AUTH_TIMEOUT, shared.authTimeout());
        // In front of the gate: malformed input and a device's ERROR are answered the same before and after AUTH.
        pipeline.addLast(HandlerNames.FRAMES, shared.frames());
        pipeline.addLast(HandlerNames.AUTH, shared.auth());
        pipeline.addLast(HandlerNames.EXCEPTION, shared.exceptions());
    }

    /** Stages this transport needs before the frame decoder. */
    protected abstract void addTransportHandlers(ChannelPipeline pipeline);
}
