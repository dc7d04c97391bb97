package io.herald.client.internal;

import io.herald.client.Transport;
import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.codec.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;

/**
 * Builds one connection's pipeline: [TLS] → [HTTP codec → WebSocket handshake → binary-message adapters] →
 * Herald frame decoder/encoder → {@link ConnectionHandler}. The heartbeat's IdleStateHandler joins after
 * AUTH_OK, when the gateway has said how often to ping.
 */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    /** The handshake response is headers only. */
    private static final int MAX_HANDSHAKE_RESPONSE = 64 * 1024;

    private final GatewayEndpoint endpoint;
    private final ConnectionHandler handler;
    private final SslContext sslContext;
    private final int maxFrameBodyLength;
    private final Duration connectTimeout;

    ClientChannelInitializer(GatewayEndpoint endpoint, ConnectionHandler handler, SslContext sslContext,
                             int maxFrameBodyLength, Duration connectTimeout) {
        this.endpoint = endpoint;
        this.handler = handler;
        this.sslContext = sslContext;
        this.maxFrameBodyLength = maxFrameBodyLength;
        this.connectTimeout = connectTimeout;
    }

    /**
     * The largest WebSocket message accepted: the gateway may pack several frames into one message, so allow
     * four maximal frames, but never more than the protocol's hard frame limit.
     */
    static int maxWebSocketMessage(int maxFrameBodyLength) {
        long fourFrames = 4L * (maxFrameBodyLength + Wire.HEADER_LENGTH);
        return (int) Math.min(fourFrames, Wire.HARD_MAX_BODY_LENGTH + Wire.HEADER_LENGTH);
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (endpoint.tls()) {
            pipeline.addLast("tls", sslContext.newHandler(channel.alloc(), endpoint.host(), endpoint.port()));
        }
        if (endpoint.transport() == Transport.WEBSOCKET) {
            int maxMessage = maxWebSocketMessage(maxFrameBodyLength);
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(endpoint.webSocketUri())
                    .version(WebSocketVersion.V13)
                    .allowExtensions(false)
                    .maxFramePayloadLength(maxMessage)
                    .handshakeTimeoutMillis(connectTimeout.toMillis())
                    .build();
            pipeline.addLast("http-codec", new HttpClientCodec());
            pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE));
            pipeline.addLast("ws-protocol", new WebSocketClientProtocolHandler(config));
            pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(maxMessage));
            pipeline.addLast("ws-to-bytes", BinaryFrameToByteBuf.INSTANCE);
            pipeline.addLast("bytes-to-ws", ByteBufToBinaryFrame.INSTANCE);
        }
        pipeline.addLast("frame-decoder", new FrameDecoder(maxFrameBodyLength));
        pipeline.addLast("frame-encoder", FrameEncoder.INSTANCE);
        pipeline.addLast(ConnectionHandler.NAME, handler);
        handler.attach(channel);
    }
}
