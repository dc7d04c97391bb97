package io.herald.gateway.mqtt;

import io.herald.core.event.DisconnectReason;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.PingFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Between Netty's MQTT codec and the device stage: MQTT packets in become the gateway's frames (or are answered here),
 * frames out become MQTT packets ({@link MqttOutbound}), so sessions, delivery, upstream handlers and limits are the
 * binary protocol's own. Before the CONNACK, only CONNECT goes on (to {@link MqttConnectHandler}); packets a device
 * sends right behind its CONNECT, as MQTT allows, wait until the CONNACK is out. When the connection ends without
 * DISCONNECT the device's will becomes a presence event, after its delay ({@link WillEvents}). Stateless and shared: each connection's
 * state is its {@link MqttConnection}.
 */
@Sharable
final class MqttAdapter extends ChannelDuplexHandler {
    /** Packets held between CONNECT and CONNACK; more is a device not waiting at all. */
    static final int MAX_HELD_BEFORE_CONNACK = 64;

    private final MqttInbound inbound;
    private final MqttOutbound outbound;
    private final Disconnector disconnector;
    private final WillEvents wills;

    MqttAdapter(MqttInbound inbound, MqttOutbound outbound, Disconnector disconnector, WillEvents wills) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.disconnector = disconnector;
        this.wills = wills;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (MqttConnection.of(ctx.channel()) == null) {
            MqttConnection.attach(ctx.channel());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Channel channel = ctx.channel();
        MqttConnection mqtt = MqttConnection.of(channel);
        DeviceSession.of(channel).readAt(ctx.executor().ticker().nanoTime()); // any packet shows the device is alive
        if (packet.decoderResult().isFailure()) {
            ReferenceCountUtil.release(packet);
            invalid(ctx, mqtt, packet);
            return;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        if (!mqtt.connectSeen()) {
            if (type == MqttMessageType.CONNECT) {
                ctx.fireChannelRead(packet); // to the gate
            } else {
                ReferenceCountUtil.release(packet);
                disconnector.protocolError(channel, ErrorCode.AUTH_REQUIRED, "the first packet must be CONNECT, got "
                        + type);
            }
        } else if (type == MqttMessageType.CONNECT) {
            ReferenceCountUtil.release(packet);
            disconnector.protocolError(channel, ErrorCode.UNEXPECTED_FRAME, "a second CONNECT on one connection");
        } else if (!mqtt.connackSent()) {
            if (!mqtt.hold(packet, MAX_HELD_BEFORE_CONNACK)) {
                ReferenceCountUtil.release(packet);
                disconnector.protocolError(channel, ErrorCode.UNEXPECTED_FRAME, "more than "
                        + MAX_HELD_BEFORE_CONNACK + " packets before the CONNACK");
            }
        } else {
            established(ctx, mqtt, packet, type);
        }
    }

    private void established(ChannelHandlerContext ctx, MqttConnection mqtt, MqttMessage packet, MqttMessageType type) {
        Channel channel = ctx.channel();
        String clientId = DeviceSession.of(channel).clientId();
        switch (type) {
            case PUBLISH -> {
                MessageFrame upstream = inbound.upstream(channel, mqtt, clientId, (MqttPublishMessage) packet);
                if (upstream != null) {
                    ctx.fireChannelRead(upstream);
                }
            }
            case PUBACK -> {
                AckFrame ack = MqttInbound.downstreamAck(mqtt, packet);
                if (ack != null) {
                    ctx.fireChannelRead(ack);
                }
            }
            case PINGREQ -> ctx.fireChannelRead(PingFrame.INSTANCE);
            case SUBSCRIBE -> channel.writeAndFlush(MqttInbound.subAck(mqtt, clientId, (MqttSubscribeMessage) packet),
                    channel.voidPromise());
            case UNSUBSCRIBE -> channel.writeAndFlush(
                    MqttInbound.unsubAck(mqtt, clientId, (MqttUnsubscribeMessage) packet), channel.voidPromise());
            case DISCONNECT -> {
                boolean withWill = packet.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                        && header.reasonCode() == MqttReasonCodes.Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue();
                mqtt.disconnectedByDevice(withWill);
                disconnector.closeQuietly(channel, "the device sent DISCONNECT");
            }
            default -> {
                ReferenceCountUtil.release(packet);
                inbound.refuse(channel, mqtt, type == MqttMessageType.PUBREL || type == MqttMessageType.PUBREC
                        || type == MqttMessageType.PUBCOMP ? MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED
                        : MqttReasonCodes.Disconnect.PROTOCOL_ERROR, type + " is not expected from a device");
            }
        }
    }

    /** Netty's decoder could not read a packet: a CONNACK refusal where one fits, else a decode failure. */
    private void invalid(ChannelHandlerContext ctx, MqttConnection mqtt, MqttMessage packet) {
        Throwable cause = packet.decoderResult().cause();
        boolean mqtt5 = packet.variableHeader() instanceof MqttConnectVariableHeader connect
                && connect.version() == MqttVersion.MQTT_5.protocolLevel();
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            disconnector.closeWith(ctx.channel(), MqttOutbound.refused(
                    MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, null, mqtt),
                    "MQTT protocol version not supported: " + cause.getMessage(), DisconnectReason.PROTOCOL_ERROR);
        } else if (cause instanceof MqttIdentifierRejectedException && !mqtt.connectSeen()) {
            disconnector.closeWith(ctx.channel(), MqttOutbound.refused(MqttReasons.clientIdRejected(mqtt5),
                    "invalid client id", mqtt), "MQTT client id rejected: " + cause.getMessage(),
                    DisconnectReason.PROTOCOL_ERROR);
        } else if (cause instanceof TooLongFrameException) {
            ctx.fireChannelRead(new DecodeFailure(ErrorCode.FRAME_TOO_LARGE, cause.getMessage()));
        } else {
            ctx.fireChannelRead(new DecodeFailure(ErrorCode.MALFORMED_FRAME, "malformed MQTT packet: "
                    + cause.getMessage()));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Frame frame)) {
            ctx.write(msg, promise); // MQTT packets of this stage, HTTP refusals before a WebSocket upgrade
            return;
        }
        Channel channel = ctx.channel();
        MqttConnection mqtt = MqttConnection.of(channel);
        Object packet = outbound.packetFor(frame, mqtt, DeviceSession.of(channel).clientId());
        if (packet == MqttOutbound.RETRY) {
            promise.trySuccess();
            String reason = ((AckFrame) frame).reason();
            disconnector.closeWith(channel, mqtt.isMqtt5()
                    ? MqttOutbound.disconnect(MqttReasonCodes.Disconnect.SERVER_BUSY, reason) : MqttOutbound.NOTHING,
                    "upstream message not taken now (" + reason + "); the device resends it when it reconnects",
                    DisconnectReason.SERVER_BUSY);
            return;
        }
        ctx.write(packet, promise);
        if (frame instanceof AuthOkFrame) {
            // after the task that wrote it, which also lets the session past the gate
            ctx.executor().execute(() -> replayHeld(ctx, mqtt));
        }
    }

    private void replayHeld(ChannelHandlerContext ctx, MqttConnection mqtt) {
        for (MqttMessage packet = mqtt.nextHeld(); packet != null; packet = mqtt.nextHeld()) {
            if (!ctx.channel().isActive()) {
                ReferenceCountUtil.release(packet);
                continue;
            }
            channelRead(ctx, packet);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        MqttConnection mqtt = MqttConnection.of(ctx.channel());
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (mqtt != null) {
            mqtt.releaseHeld();
            if (mqtt.will() != null && mqtt.connackSent() && session != null && session.isAuthenticated()) {
                wills.connectionEnded(session, mqtt.will(), ctx.channel().eventLoop());
            }
        }
        ctx.fireChannelInactive();
    }
}
