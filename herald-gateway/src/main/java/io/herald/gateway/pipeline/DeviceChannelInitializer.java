package io.herald.gateway.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Builds the device pipeline shared by every transport (TCP, WebSocket, each with or without TLS) and both protocols
 * (Herald frames, MQTT: {@link DeviceProtocol}): the protocol's codec,
 * the device stage (session lifecycle, frames by type, frames out, exceptions), the pre-auth stages, the auth gate,
 * and the exception handler last.
 * A connection from a trusted balancer first reads its PROXY header ({@code ProxyProtocol}).
 * Transports add their own stages in front through {@link #addTransportHandlers} (nothing for TCP; HTTP upgrade and
 * WebSocket adapters for WebSocket; {@link TlsChannelInitializer} puts TLS in front of either).
 *
 * <p>An authenticated connection keeps two stages (decoder, {@link DeviceStage}) plus its transport's. The connection
 * limit leaves at once, the auth timer, the gate and the last exception handler at AUTH_OK (from then on nothing
 * follows the device stage, which answers exceptions itself); every frame type is handled behind the one dispatcher,
 * and idleness is checked by one sweep per event loop ({@code IdleSweep}) instead of a timer per connection. Each
 * stage costs a handler context (64 bytes) per connection.
 */
public abstract class DeviceChannelInitializer extends ChannelInitializer<Channel> {
    private final SharedHandlers shared;
    private final DeviceProtocol protocol;

    protected DeviceChannelInitializer(SharedHandlers shared, DeviceProtocol protocol) {
        this.shared = shared;
        this.protocol = protocol;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        addTransportHandlers(pipeline);
        protocol.addCodec(pipeline, null);
        // First behind the decoder: it attaches the session the stages behind it read on channelActive.
        pipeline.addLast(HandlerNames.DEVICE, protocol.stage());
        if (shared.connectionLimit() != null) {
            pipeline.addLast(HandlerNames.CONNECTION_LIMIT, shared.connectionLimit());
        }
        if (shared.proxyProtocol() != null) {
            shared.proxyProtocol().addGateIfTrusted(pipeline); // at the very front, before TLS
        }
        pipeline.addLast(HandlerNames.AUTH_TIMEOUT, shared.authTimeout());
        pipeline.addLast(HandlerNames.AUTH, protocol.gate());
        // For the stages behind the device stage until AUTH_OK, when it leaves with them.
        pipeline.addLast(HandlerNames.EXCEPTION, shared.exceptions());
    }

    /** Stages this transport needs before the frame decoder. */
    protected abstract void addTransportHandlers(ChannelPipeline pipeline);
}
