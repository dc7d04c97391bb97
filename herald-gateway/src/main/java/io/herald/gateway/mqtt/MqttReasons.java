package io.herald.gateway.mqtt;

import io.herald.protocol.ErrorCode;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttReasonCodes;

/**
 * The MQTT codes for Herald's reasons to refuse or end a connection. MQTT 3.1.1 has codes only in CONNACK (six of
 * them) and none for ending a connection: there the gateway just closes. MQTT 5 has a CONNACK refusal and a DISCONNECT
 * reason for most of them.
 */
final class MqttReasons {
    private MqttReasons() {
    }

    /** MQTT 5's DISCONNECT reason for a Herald error ending an established session. */
    static MqttReasonCodes.Disconnect disconnect(ErrorCode code) {
        return switch (code) {
            case BAD_MAGIC, UNSUPPORTED_VERSION, UNKNOWN_FRAME_TYPE, MALFORMED_FRAME ->
                    MqttReasonCodes.Disconnect.MALFORMED_PACKET;
            case FRAME_TOO_LARGE -> MqttReasonCodes.Disconnect.PACKET_TOO_LARGE;
            case AUTH_REQUIRED, ALREADY_AUTHENTICATED, UNEXPECTED_FRAME -> MqttReasonCodes.Disconnect.PROTOCOL_ERROR;
            case AUTH_TIMEOUT, INVALID_TOKEN -> MqttReasonCodes.Disconnect.NOT_AUTHORIZED;
            case IDLE_TIMEOUT -> MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT;
            case RATE_LIMITED -> MqttReasonCodes.Disconnect.MESSAGE_RATE_TOO_HIGH;
            case SERVER_BUSY -> MqttReasonCodes.Disconnect.SERVER_BUSY;
            case GATEWAY_FULL -> MqttReasonCodes.Disconnect.USE_ANOTHER_SERVER;
            case ACK_TIMEOUT, INTERNAL_ERROR -> MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR;
        };
    }

    /** The CONNACK refusal for a Herald error before the session was open; null where MQTT 3.1.1 has none. */
    static MqttConnectReturnCode connackRefusal(ErrorCode code, boolean mqtt5) {
        return switch (code) {
            case INVALID_TOKEN -> mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            case SERVER_BUSY, AUTH_TIMEOUT -> mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            case GATEWAY_FULL -> mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_USE_ANOTHER_SERVER
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            case FRAME_TOO_LARGE -> mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE : null;
            case BAD_MAGIC, UNSUPPORTED_VERSION, UNKNOWN_FRAME_TYPE, MALFORMED_FRAME ->
                    mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET : null;
            case RATE_LIMITED -> mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED : null;
            default -> mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR : null;
        };
    }

    static MqttConnectReturnCode clientIdRejected(boolean mqtt5) {
        return mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED;
    }

    static MqttConnectReturnCode badCredentials(boolean mqtt5) {
        return connackRefusal(ErrorCode.INVALID_TOKEN, mqtt5);
    }
}
