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
    public static final String FRAME_METRICS = "frame-metrics";
    public static final String IDLE = "idle";
    public static final String SESSION_LIFECYCLE = "session-lifecycle";
    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String AUTH_TIMEOUT = "auth-timeout";
    public static final String DECODE_FAILURE = "decode-failure";
    public static final String DEVICE_ERROR = "device-error";
    public static final String AUTH = "auth";
    public static final String PING = "ping";
    public static final String UPSTREAM_RATE = "upstream-rate";
    public static final String UPSTREAM = "upstream";
    public static final String DOWNSTREAM_ACK = "downstream-ack";
    public static final String UNEXPECTED_FRAME = "unexpected-frame";
    public static final String EXCEPTION = "exception";

    private HandlerNames() {
    }
}
