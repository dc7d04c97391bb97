package io.herald.gateway.pipeline;

/** Names of the device pipeline's stages, in pipeline order. */
public final class HandlerNames {
    public static final String PROXY_GATE = "proxy-gate";
    public static final String PROXY_DECODER = "proxy-decoder";
    public static final String PROXY_ADDRESS = "proxy-address";
    public static final String TLS = "tls";
    public static final String TLS_HANDSHAKE = "tls-handshake";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String WS_UPGRADE_GATE = "ws-upgrade-gate";
    public static final String WS_PING = "ws-ping";
    public static final String WS_PROTOCOL = "ws-protocol";
    public static final String WS_FRAME_DECODER = "ws-binary-in";
    public static final String WS_FRAME_ENCODER = "ws-binary-out";
    public static final String FRAME_DECODER = "frame-decoder";
    /** MQTT in place of the frame decoder: packet size limit, Netty's MQTT codec, packets to and from frames. */
    public static final String MQTT_LIMIT = "mqtt-limit";
    public static final String MQTT_DECODER = "mqtt-decoder";
    public static final String MQTT_ENCODER = "mqtt-encoder";
    public static final String MQTT_ADAPTER = "mqtt-adapter";
    /** Session lifecycle, frames in by type, frames out encoded, exceptions: {@code DeviceStage}. */
    public static final String DEVICE = "device";
    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String AUTH_TIMEOUT = "auth-timeout";
    public static final String AUTH = "auth";
    public static final String EXCEPTION = "exception";

    private HandlerNames() {
    }
}
