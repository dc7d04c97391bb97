package io.herald.bench.sim;

import io.herald.bench.measure.BenchClock;
import io.herald.bench.measure.BenchPayload;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.MessageFrame;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The device side of one MQTT 5 session, the same packets to Herald and to a broker: CONNECT (client id, user name =
 * client id, the password, clean start 0 with a session expiry, so QoS 1 messages are kept for it while away),
 * SUBSCRIBE at QoS 1 to its own topic and to the broker's fan-out topic (Herald grants the first and refuses the
 * second), online at the SUBACK; then PUBACK every QoS 1 PUBLISH at once, PINGREQ at the keepalive, and report each
 * message with the id its {@code message-id} User Property carries. One instance per connection.
 */
final class MqttDeviceHandler extends SimpleChannelInboundHandler<MqttMessage> {
    /** Keepalive the devices ask for; they PINGREQ at it (the servers close after 1.5 times it). */
    static final int KEEPALIVE_SECONDS = 30;
    /** What the broker keeps a device's session for after a drop: longer than any run. */
    private static final int SESSION_EXPIRY_SECONDS = 3_600;
    /** Pushes are small; a larger packet is a fault. */
    private static final int MAX_PACKET_BYTES = 64 * 1024;
    private static final int SUBSCRIBE_PACKET_ID = 1;

    private final SimulatedDevice device;
    private final String password;
    private final DeviceEvents events;
    private final CompletableFuture<Void> online;
    private ScheduledFuture<?> keepalive;

    private MqttDeviceHandler(SimulatedDevice device, String password, DeviceEvents events,
                              CompletableFuture<Void> online) {
        this.device = device;
        this.password = password;
        this.events = events;
        this.online = online;
    }

    static void addTo(ChannelPipeline pipeline, SimulatedDevice device, String password, DeviceEvents events,
                      CompletableFuture<Void> online) {
        pipeline.addLast(new MqttDecoder(MAX_PACKET_BYTES), MqttEncoder.INSTANCE,
                new MqttDeviceHandler(device, password, events, online));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL,
                SESSION_EXPIRY_SECONDS));
        ctx.writeAndFlush(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5)
                .clientId(device.clientId()).username(device.clientId())
                .password(password.getBytes(StandardCharsets.UTF_8)).cleanSession(false)
                .keepAlive(KEEPALIVE_SECONDS).properties(properties).build(), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            fail(ctx, "undecodable packet: " + msg.decoderResult().cause());
            return;
        }
        MqttMessageType type = msg.fixedHeader().messageType();
        switch (type) {
            case PUBLISH -> published(ctx, (MqttPublishMessage) msg);
            case CONNACK -> connAck(ctx, (MqttConnAckMessage) msg);
            case SUBACK -> subAck(ctx, (MqttSubAckMessage) msg);
            case DISCONNECT -> ctx.close();
            default -> {
                // PINGRESP needs no answer.
            }
        }
    }

    private void connAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            fail(ctx, "CONNACK " + code);
            return;
        }
        ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(SUBSCRIBE_PACKET_ID)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, MqttBenchTopics.messages(device.clientId()))
                .addSubscription(MqttQoS.AT_LEAST_ONCE, MqttBenchTopics.FAN_OUT).build(), ctx.voidPromise());
    }

    private void subAck(ChannelHandlerContext ctx, MqttSubAckMessage subAck) {
        List<Integer> granted = subAck.payload().reasonCodes();
        if (granted.isEmpty() || granted.get(0) > MqttQoS.AT_LEAST_ONCE.value()) {
            fail(ctx, "SUBACK refused the device's own topic: " + granted);
            return;
        }
        keepalive = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(MqttMessage.PINGREQ, ctx.voidPromise()),
                KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        device.online(ctx.channel());
        events.authenticated(device);
        online.complete(null);
    }

    /**
     * PUBACK first, as a device does, then the message as the fleet counts it: the id from the {@code message-id}
     * User Property, the QoS and DUP of the packet, and the payload's send time as its time stamp (MQTT carries
     * none of the server's).
     */
    private void published(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        long now = BenchClock.epochMicros();
        MqttQoS qos = publish.fixedHeader().qosLevel();
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build(),
                    ctx.voidPromise());
        }
        String id = messageId(publish.variableHeader().properties());
        if (id == null) {
            return; // not a bench message: nothing to count
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        events.message(device, new MessageFrame(Long.parseUnsignedLong(id), ContentType.TEXT,
                qos == MqttQoS.AT_LEAST_ONCE ? Qos.AT_LEAST_ONCE : Qos.AT_MOST_ONCE, publish.fixedHeader().isDup(),
                null, Math.max(0, BenchPayload.sendMicros(payload) / 1_000), payload), now);
    }

    /** The {@code message-id} User Property; Netty's decoder gives user properties one by one or as a list. */
    static String messageId(MqttProperties properties) {
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(MqttProperties.USER_PROPERTY)) {
            if (property instanceof MqttProperties.UserProperty user
                    && MqttBenchTopics.MESSAGE_ID.equals(user.value().key)) {
                return user.value().value;
            }
            if (property instanceof MqttProperties.UserProperties users) {
                for (MqttProperties.StringPair pair : users.value()) {
                    if (MqttBenchTopics.MESSAGE_ID.equals(pair.key)) {
                        return pair.value;
                    }
                }
            }
        }
        return null;
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        online.completeExceptionally(new LoginNeededException(device.clientId() + ": " + why));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        online.completeExceptionally(new ClosedChannelException());
        if (device.offline(ctx.channel())) {
            events.disconnected(device);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
