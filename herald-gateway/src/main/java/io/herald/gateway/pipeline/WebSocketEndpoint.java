package io.herald.gateway.pipeline;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.Objects;

/**
 * One WebSocket path of the gateway and what is spoken behind it: {@code /ws} carries Herald frames, {@code /mqtt} MQTT
 * (subprotocol {@code mqtt}). {@link WebSocketUpgradeGate} picks the endpoint by the upgrade's path and installs it:
 * Netty's handshake for that path, then {@code switchProtocol} when the pipeline was built for another protocol.
 *
 * @param subprotocols    comma-separated subprotocols to agree to, or null for none
 * @param maxMessageBytes the largest WebSocket message accepted
 * @param switchProtocol  rebuilds the protocol stages of a pipeline built for Herald frames; null to keep them
 */
public record WebSocketEndpoint(String path, String subprotocols, int maxMessageBytes,
                                java.util.function.Consumer<ChannelPipeline> switchProtocol) {

    public WebSocketEndpoint {
        Objects.requireNonNull(path, "path");
    }

    /** Puts Netty's handshake (and WebSocket framing) for this path in place, and this endpoint's protocol. */
    void install(ChannelPipeline pipeline) {
        pipeline.addAfter(HandlerNames.WS_PING, HandlerNames.WS_PROTOCOL, new WebSocketServerProtocolHandler(
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(path)
                        .subprotocols(subprotocols)
                        .checkStartsWith(true) // a query string is fine; the gate has checked the path itself
                        .maxFramePayloadLength(maxMessageBytes)
                        .handleCloseFrames(true)
                        .build()));
        if (switchProtocol != null) {
            switchProtocol.accept(pipeline);
        }
    }
}
