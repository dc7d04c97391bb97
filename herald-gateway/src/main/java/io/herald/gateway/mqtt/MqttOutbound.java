package io.herald.gateway.mqtt;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.frame.PongFrame;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;

/**
 * The gateway's frames as MQTT packets, for one connection: AUTH_OK is the CONNACK that accepts, AUTH_FAIL and an
 * ERROR before it the CONNACK that refuses, MESSAGE a PUBLISH to {@code devices/{id}/messages}, an upstream ACK the
 * PUBACK, PONG the PINGRESP, and an ERROR or NOTICE that ends the session MQTT 5's DISCONNECT with its reason. Where
 * MQTT 3.1.1 has no packet for it (it cannot say why a session ends), the answer is {@link #NOTHING}: the connection
 * just closes. An upstream ACK RETRY ("send it again later") has no MQTT packet in either version; it is answered by
 * {@link #RETRY}, which closes the connection: a device resends its unacknowledged PUBLISH when it reconnects.
 */
final class MqttOutbound {
    /** No packet: written so that the close waiting for the last frame still follows. */
    static final Object NOTHING = Unpooled.EMPTY_BUFFER;
    /** The upstream ACK asked the device to send again later; the adapter closes the connection. */
    static final Object RETRY = new Object();

    /** What an accepting CONNACK tells an MQTT 5 device about this gateway. */
    record ServerLimits(int maxPacketBytes, int receiveMaximum) {
    }

    private final ServerLimits limits;

    MqttOutbound(ServerLimits limits) {
        this.limits = limits;
    }

    /** The MQTT packet for {@code frame} on a connection in state {@code mqtt}, or {@link #NOTHING} / {@link #RETRY}. */
    Object packetFor(Frame frame, MqttConnection mqtt, String clientId) {
        if (frame instanceof MessageFrame message) {
            return publish(message, mqtt, clientId);
        }
        if (frame instanceof AckFrame ack) {
            return pubAck(ack, mqtt);
        }
        if (frame instanceof PongFrame) {
            return MqttMessage.PINGRESP;
        }
        if (frame instanceof AuthOkFrame ok) {
            mqtt.connackSent(true);
            return accepted(ok, mqtt);
        }
        if (frame instanceof AuthFailFrame fail) {
            return ended(fail.code(), fail.reason(), mqtt);
        }
        if (frame instanceof ErrorFrame error) {
            return ended(error.code(), error.reason(), mqtt);
        }
        if (frame instanceof NoticeFrame notice) {
            return noticed(notice, mqtt);
        }
        return NOTHING; // nothing else is sent to devices
    }

    /** MQTT 5's Session Expiry Interval for "the session does not expire". */
    static final long SESSION_NEVER_EXPIRES = 0xFFFF_FFFFL;

    private MqttConnAckMessage accepted(AuthOkFrame ok, MqttConnection mqtt) {
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (mqtt.isMqtt5()) {
            MqttMessageBuilders.ConnAckPropertiesBuilder builder = new MqttMessageBuilders.ConnAckPropertiesBuilder()
                    .maximumQos((byte) 1)
                    .retainAvailable(false)
                    .wildcardSubscriptionAvailable(false)
                    .subscriptionIdentifiersAvailable(false)
                    .sharedSubscriptionAvailable(false)
                    .topicAliasMaximum(0)
                    .maximumPacketSize(limits.maxPacketBytes())
                    .receiveMaximum(limits.receiveMaximum())
                    .userProperty("session-id", ok.sessionId());
            if (mqtt.serverKeepAlive() >= 0) {
                builder.serverKeepAlive(mqtt.serverKeepAlive());
            }
            if (mqtt.requestedSessionExpiry() != SESSION_NEVER_EXPIRES) {
                // Herald keeps a device's session (its stored QoS 1 pushes, until their TTL) whatever it asked for;
                // MQTT 5 has the server say so when it differs from the request (docs/mqtt.md, "Sessions").
                builder.sessionExpiryInterval(SESSION_NEVER_EXPIRES);
            }
            properties = builder.build();
        }
        return MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(!mqtt.cleanSession()).properties(properties).build();
    }

    private static Object publish(MessageFrame message, MqttConnection mqtt, String clientId) {
        boolean atLeastOnce = message.qos() == Qos.AT_LEAST_ONCE;
        int packetId = atLeastOnce ? mqtt.downstream().packetIdFor(message.messageId()) : 0;
        MqttProperties properties = mqtt.isMqtt5()
                ? publishProperties(message.contentType(), message.messageId(), message.traceId())
                : MqttProperties.NO_PROPERTIES;
        MqttQoS qos = atLeastOnce ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, atLeastOnce && message.duplicate(), qos, false, 0),
                new MqttPublishVariableHeader(MqttTopics.messages(clientId), packetId, properties),
                Unpooled.wrappedBuffer(message.payload()));
    }

    /** The MQTT 5 properties of a push's PUBLISH: content type, payload format, Herald's message id and trace id. */
    static MqttProperties publishProperties(ContentType contentType, long messageId, String traceId) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, contentType.label()));
        if (contentType.isTextual()) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        }
        properties.add(new MqttProperties.UserProperty(MqttInbound.MESSAGE_ID, Long.toUnsignedString(messageId)));
        if (traceId != null) {
            properties.add(new MqttProperties.UserProperty(MqttInbound.TRACE_ID, traceId));
        }
        return properties;
    }

    private Object pubAck(AckFrame ack, MqttConnection mqtt) {
        Integer packetId = mqtt.upstreamDone(ack.messageId());
        if (packetId == null) {
            return NOTHING;
        }
        if (ack.status() == AckStatus.RETRY) {
            return RETRY;
        }
        MqttMessageBuilders.PubAckBuilder pubAck = MqttMessageBuilders.pubAck().packetId(packetId);
        if (ack.status() == AckStatus.REJECTED && mqtt.isMqtt5()) {
            // MQTT 3.1.1 has no refusing PUBACK: its device gets the plain one, so it does not resend for ever
            pubAck.reasonCode(MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue())
                    .properties(mqtt.problemInformation() ? reasonString(ack.reason()) : MqttProperties.NO_PROPERTIES);
        }
        return pubAck.build();
    }

    /** The session ends (or is refused) with a Herald error. */
    Object ended(ErrorCode code, String reason, MqttConnection mqtt) {
        if (!mqtt.connackSent()) {
            MqttConnectReturnCode refusal = mqtt.connectSeen() ? MqttReasons.connackRefusal(code, mqtt.isMqtt5()) : null;
            return refusal == null ? NOTHING : refused(refusal, reason, mqtt);
        }
        return mqtt.isMqtt5() ? disconnect(MqttReasons.disconnect(code), reason) : NOTHING;
    }

    private Object noticed(NoticeFrame notice, MqttConnection mqtt) {
        if (!mqtt.connackSent()) {
            return ended(ErrorCode.SERVER_BUSY, notice.reason(), mqtt);
        }
        if (!mqtt.isMqtt5()) {
            return NOTHING;
        }
        MqttReasonCodes.Disconnect reason = switch (notice.kind()) {
            // a takeover and an operator's kick are both KICKED; only the takeover says so
            case KICKED -> notice.reason().startsWith("session taken over")
                    ? MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER : MqttReasonCodes.Disconnect.ADMINISTRATIVE_ACTION;
            case RECONNECT -> MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN;
            case REDIRECT -> MqttReasonCodes.Disconnect.SERVER_MOVED;
        };
        MqttProperties properties = reasonString(notice.reason());
        if (notice.kind() == NoticeKind.REDIRECT && !notice.redirect().isEmpty()) {
            properties = properties.isEmpty() ? new MqttProperties() : properties;
            properties.add(new MqttProperties.StringProperty(MqttProperties.SERVER_REFERENCE, notice.redirect()));
        }
        return MqttMessageBuilders.disconnect().reasonCode(reason.byteValue()).properties(properties).build();
    }

    /** A CONNACK that refuses the connection. */
    static MqttConnAckMessage refused(MqttConnectReturnCode code, String reason, MqttConnection mqtt) {
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false)
                .properties(mqtt.isMqtt5() ? reasonString(reason) : MqttProperties.NO_PROPERTIES).build();
    }

    /** MQTT 5's DISCONNECT with a reason. */
    static MqttMessage disconnect(MqttReasonCodes.Disconnect reason, String why) {
        return MqttMessageBuilders.disconnect().reasonCode(reason.byteValue()).properties(reasonString(why)).build();
    }

    /**
     * The reason string property. CONNACK and DISCONNECT always carry it; other packets only when the device did not
     * turn MQTT 5's Request Problem Information off.
     */
    private static MqttProperties reasonString(String reason) {
        if (reason == null || reason.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
        return properties;
    }
}
