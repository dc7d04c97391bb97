package io.herald.gateway.pipeline;

import io.herald.gateway.handler.SessionLifecycleHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Device connections over WebSocket: an RFC 6455 upgrade at the configured path (anything else is refused with an
 * HTTP answer, see {@link WebSocketUpgradeGate}), then the same frames inside
 * binary WebSocket messages, adapted to and from a byte stream in front of the shared frame decoder.
 */
public final class WebSocketChannelInitializer extends DeviceChannelInitializer {
    private static final int MAX_HANDSHAKE_BYTES = 8192;

    private final String path;
    private final int maxFrameBody;
    private final WebSocketUpgradeGate upgradeGate;

    public WebSocketChannelInitializer(SharedHandlers shared, SessionLifecycleHandler lifecycle, int maxFrameBody,
                                       String path) {
        super(shared, lifecycle, maxFrameBody);
        this.path = path;
        this.maxFrameBody = maxFrameBody;
        this.upgradeGate = new WebSocketUpgradeGate(path, shared.disconnector());
    }

    @Override
    protected void addTransportHandlers(ChannelPipeline pipeline) {
        pipeline.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        pipeline.addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        pipeline.addLast(HandlerNames.WS_UPGRADE_GATE, upgradeGate);
        pipeline.addLast(HandlerNames.WS_PING, WebSocketPingHandler.INSTANCE);
        pipeline.addLast(HandlerNames.WS_PROTOCOL, new WebSocketServerProtocolHandler(
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(path)
                        .checkStartsWith(true) // a query string is fine; the gate has checked the path itself
                        // a WebSocket message holds at most one maximal Herald frame plus its header
                        .maxFramePayloadLength(maxFrameBody + 64)
                        .handleCloseFrames(true)
                        .build()));
        pipeline.addLast(HandlerNames.WS_FRAME_DECODER, WebSocketBinaryFrameDecoder.INSTANCE);
        pipeline.addLast(HandlerNames.WS_FRAME_ENCODER, WebSocketBinaryFrameEncoder.INSTANCE);
    }
}
