package io.herald.gateway.pipeline;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;

/**
 * Device connections over WebSocket: an RFC 6455 upgrade at one of the gateway's WebSocket paths (anything else is
 * refused with an HTTP answer, see {@link WebSocketUpgradeGate}), then the same frames (or MQTT packets) inside
 * binary WebSocket messages, adapted to and from a byte stream in front of the protocol's decoder. The pipeline is
 * built for the first endpoint's protocol; the gate switches it when the upgrade asks for another path.
 */
public final class WebSocketChannelInitializer extends DeviceChannelInitializer {
    private static final int MAX_HANDSHAKE_BYTES = 8192;

    private final WebSocketUpgradeGate upgradeGate;

    /** @param endpoints the paths served; the first one's protocol is {@code protocol} */
    public WebSocketChannelInitializer(SharedHandlers shared, DeviceProtocol protocol, List<WebSocketEndpoint> endpoints) {
        super(shared, protocol);
        this.upgradeGate = new WebSocketUpgradeGate(endpoints, shared.disconnector());
    }

    @Override
    protected void addTransportHandlers(ChannelPipeline pipeline) {
        pipeline.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
        pipeline.addLast(HandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        pipeline.addLast(HandlerNames.WS_UPGRADE_GATE, upgradeGate);
        pipeline.addLast(HandlerNames.WS_PING, WebSocketPingHandler.INSTANCE);
        // WS_PROTOCOL (Netty's handshake and framing) goes here once the gate knows the path
        pipeline.addLast(HandlerNames.WS_FRAME_DECODER, WebSocketBinaryFrameDecoder.INSTANCE);
        pipeline.addLast(HandlerNames.WS_FRAME_ENCODER, WebSocketBinaryFrameEncoder.INSTANCE);
    }
}
