package io.herald.gateway.mqtt;

import java.util.Objects;

/**
 * MQTT 3.1.1 and 5 devices on the gateway (docs/mqtt.md). Off unless {@link #port} is set: then MQTT is served on its
 * own TCP port and, when the gateway has a WebSocket listener, at {@link #wsPath} on it (subprotocol {@code mqtt}).
 *
 * @param port   MQTT TCP port: 0 picks a free port, -1 turns MQTT off (the WebSocket path too)
 * @param wsPath path of MQTT over WebSocket on the gateway's WebSocket listener
 */
public record MqttSettings(int port, String wsPath) {
    /** MQTT's registered port; production gateways listen on it ({@code --mqtt-port 1883}). */
    public static final int STANDARD_PORT = 1883;
    public static final String DEFAULT_WS_PATH = "/mqtt";
    public static final MqttSettings OFF = new MqttSettings(-1, DEFAULT_WS_PATH);

    public MqttSettings {
        Objects.requireNonNull(wsPath, "wsPath");
        if (port < -1 || port > 65_535) {
            throw new IllegalArgumentException("mqtt port must be -1 (off), 0 (any free port) or 1-65535, was " + port);
        }
        if (!wsPath.startsWith("/")) {
            throw new IllegalArgumentException("mqtt websocket path must start with '/', was " + wsPath);
        }
    }

    /** MQTT on the given port (0: any free port), and over WebSocket at the default path. */
    public static MqttSettings onPort(int port) {
        return new MqttSettings(port, DEFAULT_WS_PATH);
    }

    public boolean enabled() {
        return port != -1;
    }
}
