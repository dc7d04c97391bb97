package io.herald.gateway.pipeline;

/** Names of the device pipeline's stages, in pipeline order. */
public final class HandlerNames {
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
    public static final String FRAME_ENCODER = "frame-encoder";
    public static final String SESSION_LIFECYCLE = "session-lifecycle";
    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String AUTH_TIMEOUT = "auth-timeout";
    public static final String FRAMES = "frames";
    public static final String AUTH = "auth";
    public static final String EXCEPTION = "exception";

    private HandlerNames() {
    }
}
