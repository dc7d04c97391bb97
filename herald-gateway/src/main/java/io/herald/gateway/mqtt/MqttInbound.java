package io.herald.gateway.mqtt;

import io.herald.core.event.DisconnectReason;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.time.Clock;
import java.util.List;

/**
 * The packets of an established MQTT session as the gateway's frames, or answered right here: PUBLISH to the device's
 * upstream topic becomes an upstream MESSAGE (the upstream handlers ACK it, which becomes the PUBACK), PUBACK the ACK of
 * a push, SUBSCRIBE and UNSUBSCRIBE are answered at once. What the gateway refuses closes the connection, with MQTT 5's
 * DISCONNECT reason (docs/mqtt.md, "What is refused").
 */
final class MqttInbound {
    /**
     * MQTT 5 user property with a Herald message id (unsigned decimal): a push's, and optionally the one a device
     * gives its upstream message, so that a resent message is archived once.
     */
    static final String MESSAGE_ID = "message-id";
    /** MQTT 5 user property with a trace id, both ways. */
    static final String TRACE_ID = "trace-id";

    private final Disconnector disconnector;
    private final GatewayMetrics metrics;
    private final Clock clock;

    MqttInbound(Disconnector disconnector, GatewayMetrics metrics, Clock clock) {
        this.disconnector = disconnector;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * An upstream PUBLISH as the MESSAGE frame the upstream path takes; null when it was refused (the connection is
     * closing). Releases the packet.
     */
    MessageFrame upstream(Channel channel, MqttConnection mqtt, String clientId, MqttPublishMessage publish) {
        try {
            MqttFixedHeader header = publish.fixedHeader();
            String topic = publish.variableHeader().topicName();
            if (header.qosLevel() == MqttQoS.EXACTLY_ONCE) {
                return refuse(channel, mqtt, MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED,
                        "QoS 2 is not supported: publish with QoS 0 or 1");
            }
            if (header.isRetain()) {
                return refuse(channel, mqtt, MqttReasonCodes.Disconnect.RETAIN_NOT_SUPPORTED,
                        "retained messages are not supported: a device's topics are its own");
            }
            if (topic.isEmpty()) {
                return refuse(channel, mqtt, MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID,
                        "topic aliases are not supported (topic alias maximum 0)");
            }
            ContentType contentType = MqttTopics.upstreamContentType(clientId, topic);
            if (contentType == null) {
                return refuse(channel, mqtt, MqttReasonCodes.Disconnect.NOT_AUTHORIZED, "cannot publish to " + topic
                        + "; publish to " + MqttTopics.PREFIX + clientId + MqttTopics.UP + "{text|json|binary|image"
                        + "|video|audio}");
            }
            String traceId = userProperty(publish.variableHeader().properties(), TRACE_ID);
            if (traceId != null && !FrameCodec.isValidTraceId(traceId)) {
                return refuse(channel, mqtt, MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID,
                        "trace-id must be 1 to 64 printable ASCII characters without spaces");
            }
            long now = clock.millis();
            boolean atLeastOnce = header.qosLevel() == MqttQoS.AT_LEAST_ONCE;
            String namedId = userProperty(publish.variableHeader().properties(), MESSAGE_ID);
            long messageId;
            if (namedId == null) {
                messageId = mqtt.nextUpstreamId(now);
            } else {
                Long parsed = unsignedLong(namedId);
                if (parsed == null) {
                    return refuse(channel, mqtt, MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID,
                            "message-id must be an unsigned 64-bit decimal number");
                }
                if (atLeastOnce && mqtt.isUpstreamPending(parsed)) {
                    return refuse(channel, mqtt, MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "message-id " + namedId
                            + " is already being handled on this connection");
                }
                messageId = parsed;
            }
            if (atLeastOnce) {
                mqtt.upstreamPending(messageId, publish.variableHeader().packetId());
            }
            return new MessageFrame(messageId, contentType, atLeastOnce ? Qos.AT_LEAST_ONCE : Qos.AT_MOST_ONCE,
                    false, traceId, now, ByteBufUtil.getBytes(publish.payload()));
        } finally {
            publish.release();
        }
    }

    /** The device's PUBACK of a push as its ACK frame; null for a packet id not in flight (ignored). */
    static AckFrame downstreamAck(MqttConnection mqtt, MqttMessage pubAck) {
        MqttMessageIdVariableHeader header = (MqttMessageIdVariableHeader) pubAck.variableHeader();
        Long messageId = mqtt.downstream().acked(header.messageId());
        if (messageId == null) {
            return null;
        }
        if (header instanceof MqttPubReplyMessageVariableHeader reply && (reply.reasonCode() & 0xFF) >= 0x80) {
            // MQTT 5: the device refused the message; resending it would not help
            return new AckFrame(messageId, AckStatus.REJECTED, "PUBACK reason code 0x"
                    + Integer.toHexString(reply.reasonCode() & 0xFF));
        }
        return AckFrame.ok(messageId);
    }

    /**
     * SUBACK for a SUBSCRIBE. The device receives its pushes on {@code devices/{id}/messages} whether it subscribes or
     * not (the subscription is implied by the session); subscribing to it is granted, at most QoS 1. Any other filter
     * is refused: another device's topics are not its business, and the gateway keeps no wildcards, shared
     * subscriptions or retained messages.
     */
    static MqttSubAckMessage subAck(MqttConnection mqtt, String clientId, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> filters = subscribe.payload().topicSubscriptions();
        int[] codes = new int[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = subscriptionCode(mqtt.isMqtt5(), clientId, filters.get(i));
        }
        int packetId = subscribe.idAndPropertiesVariableHeader().messageId();
        return new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
    }

    private static int subscriptionCode(boolean mqtt5, String clientId, MqttTopicSubscription subscription) {
        String filter = subscription.topicFilter();
        if (filter.equals(MqttTopics.messages(clientId))) {
            return Math.min(subscription.qualityOfService().value(), 1);
        }
        if (!mqtt5) {
            return MqttQoS.FAILURE.value();
        }
        if (filter.startsWith("$share/")) {
            return MqttReasonCodes.SubAck.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED.byteValue() & 0xFF;
        }
        if (MqttTopics.hasWildcard(filter)) {
            return MqttReasonCodes.SubAck.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED.byteValue() & 0xFF;
        }
        return MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF;
    }

    /**
     * UNSUBACK. The device's own topic cannot be unsubscribed (pushes keep coming while it is connected; MQTT 5 says so
     * with reason 0x83), and it has no other subscriptions (0x11).
     */
    static MqttMessage unsubAck(MqttConnection mqtt, String clientId, MqttUnsubscribeMessage unsubscribe) {
        MqttMessageBuilders.UnsubAckBuilder unsubAck = MqttMessageBuilders.unsubAck()
                .packetId(unsubscribe.idAndPropertiesVariableHeader().messageId());
        if (mqtt.isMqtt5()) {
            for (String filter : unsubscribe.payload().topics()) {
                unsubAck.addReasonCode(filter.equals(MqttTopics.messages(clientId))
                        ? MqttReasonCodes.UnsubAck.IMPLEMENTATION_SPECIFIC_ERROR.byteValue()
                        : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue());
            }
        }
        return unsubAck.build();
    }

    /**
     * Closes the connection for a packet the gateway does not take: MQTT 5 gets DISCONNECT with {@code reason}, MQTT
     * 3.1.1 a close (it has nothing to say why). Returns null, for the caller to return.
     */
    <T> T refuse(Channel channel, MqttConnection mqtt, MqttReasonCodes.Disconnect reason, String why) {
        metrics.protocolError(ErrorCode.UNEXPECTED_FRAME);
        disconnector.closeWith(channel, mqtt.isMqtt5() ? MqttOutbound.disconnect(reason, why) : MqttOutbound.NOTHING,
                "MQTT " + reason + ": " + why, DisconnectReason.PROTOCOL_ERROR);
        return null;
    }

    private static Long unsignedLong(String text) {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String userProperty(MqttProperties properties, String name) {
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(MqttProperties.USER_PROPERTY)) {
            if (property instanceof MqttProperties.UserProperty user && user.value().key.equals(name)) {
                return user.value().value;
            }
            if (property instanceof MqttProperties.UserProperties users) {
                for (MqttProperties.StringPair pair : users.value()) {
                    if (pair.key.equals(name)) {
                        return pair.value;
                    }
                }
            }
        }
        return null;
    }
}
