package io.herald.gateway.pipeline;

import io.herald.gateway.tls.DeviceTls;
import io.herald.gateway.tls.TlsHandshakeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * TLS in front of a device pipeline: the {@code SslHandler} first, so everything behind it sees the plain byte
 * stream, then the handshake watcher, then the transport's own initializer, which builds the rest exactly as
 * without TLS. The frames do not change under TLS.
 */
public final class TlsChannelInitializer extends ChannelInitializer<Channel> {
    private final DeviceTls tls;
    private final Duration handshakeTimeout;
    private final TlsHandshakeHandler handshake;
    private final DeviceChannelInitializer devicePipeline;

    /** @param handshakeTimeout the auth timeout: a device gets no longer to say hello than to authenticate */
    public TlsChannelInitializer(DeviceTls tls, Duration handshakeTimeout, TlsHandshakeHandler handshake,
                                 DeviceChannelInitializer devicePipeline) {
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.handshake = handshake;
        this.devicePipeline = devicePipeline;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // The engine keeps per-connection state: a new handler for every channel.
        pipeline.addLast(HandlerNames.TLS, tls.newHandler(channel.alloc(), handshakeTimeout));
        pipeline.addLast(HandlerNames.TLS_HANDSHAKE, handshake);
        pipeline.addLast(devicePipeline);
    }
}
