package io.herald.bench.push;

import io.herald.bench.sim.MqttBenchTopics;
import io.herald.bench.sim.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend of the MQTT broker runs: MQTT 5 publisher connections that publish each push to the device's topic
 * ({@code devices/{id}/messages}, a broadcast to {@link MqttBenchTopics#FAN_OUT}) with the push's QoS and a
 * {@code message-id} User Property the devices count by. A QoS 1 push is accepted at the broker's PUBACK, a QoS 0
 * one once written; {@link Accepted#online()} is 0, as the broker does not say how many subscribers it reached. Each connection keeps at most the broker's Receive Maximum unacknowledged (MQTT 5 says a client
 * must); {@link #push} waits for a free slot, which is the run's back-pressure.
 */
public final class MqttPusher implements Pusher {
    /** Publisher connections: with Mosquitto's Receive Maximum they allow the runs' default 256 in flight. */
    public static final int CONNECTIONS = 8;
    private static final int MAX_PACKET_BYTES = 64 * 1024;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;
    private static final long SLOT_TIMEOUT_SECONDS = 30;

    private final List<Publisher> publishers = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();

    /** Connects {@link #CONNECTIONS} publishers as {@code user} with {@code password}; returns once all are accepted. */
    public MqttPusher(EventLoopGroup group, NettyTransport transport, InetSocketAddress broker, String user,
                      String password) {
        for (int i = 0; i < CONNECTIONS; i++) {
            Publisher publisher = new Publisher(user + "-" + i, user, password);
            new Bootstrap().group(group).channel(transport.socketChannel()).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new MqttDecoder(MAX_PACKET_BYTES), MqttEncoder.INSTANCE, publisher);
                        }
                    }).connect(broker).syncUninterruptibly();
            publishers.add(publisher);
        }
        for (Publisher publisher : publishers) {
            try {
                publisher.accepted.get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                close();
                throw new IllegalStateException("the backend publisher was not accepted by the broker at " + broker, e);
            }
        }
    }

    @Override
    public CompletableFuture<Accepted> push(String clientId, int qos, String payload) {
        long id = ids.incrementAndGet();
        String topic = clientId == null ? MqttBenchTopics.FAN_OUT : MqttBenchTopics.messages(clientId);
        return nextFree().publish(id, topic, qos, payload);
    }

    /** The next publisher in turn with a free slot; waits (bounded) on the next one when none is free. */
    private Publisher nextFree() {
        int start = Math.floorMod(next.getAndIncrement(), publishers.size());
        for (int i = 0; i < publishers.size(); i++) {
            Publisher publisher = publishers.get((start + i) % publishers.size());
            if (publisher.slots.tryAcquire()) {
                return publisher;
            }
        }
        Publisher publisher = publishers.get(start);
        try {
            if (!publisher.slots.tryAcquire(SLOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker acknowledged nothing for " + SLOT_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
        return publisher;
    }

    @Override
    public void close() {
        for (Publisher publisher : publishers) {
            Channel channel = publisher.channel;
            if (channel != null) {
                channel.writeAndFlush(MqttMessageBuilders.disconnect().build());
                channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    /** One publisher connection: its CONNECT, its slots (the broker's Receive Maximum) and its pending PUBACKs. */
    private static final class Publisher extends SimpleChannelInboundHandler<MqttMessage> {
        private final String clientId;
        private final String user;
        private final String password;
        private final CompletableFuture<Void> accepted = new CompletableFuture<>();
        /** Until the CONNACK says otherwise: MQTT 5's default Receive Maximum is 65,535, Mosquitto announces less. */
        private final Semaphore slots = new Semaphore(0);
        private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
        private int nextPacketId;
        private volatile Channel channel;

        private record Pending(long messageId, CompletableFuture<Accepted> accepted) {
        }

        Publisher(String clientId, String user, String password) {
            this.clientId = clientId;
            this.user = user;
            this.password = password;
        }

        CompletableFuture<Accepted> publish(long messageId, String topic, int qos, String payload) {
            CompletableFuture<Accepted> done = new CompletableFuture<>();
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.UserProperty(MqttBenchTopics.MESSAGE_ID, Long.toUnsignedString(messageId)));
            MqttMessageBuilders.PublishBuilder publish = MqttMessageBuilders.publish().topicName(topic)
                    .qos(qos == 1 ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE).retained(false)
                    .payload(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.US_ASCII)))
                    .properties(properties);
            Channel current = channel;
            // Packet ids and the pending map are touched on the connection's event loop only.
            current.eventLoop().execute(() -> {
                int packetId = qos == 1 ? packetId() : 0;
                if (qos == 1) {
                    pending.put(packetId, new Pending(messageId, done));
                    publish.messageId(packetId);
                }
                current.writeAndFlush(publish.build()).addListener(written -> {
                    if (!written.isSuccess()) {
                        if (qos != 1 || pending.remove(packetId) != null) {
                            slots.release();
                            done.completeExceptionally(written.cause());
                        }
                    } else if (qos != 1) {
                        slots.release();
                        done.complete(new Accepted(messageId, 0, 0));
                    }
                });
            });
            return done;
        }

        /** 1..65535 in turn: with at most Receive Maximum in flight, a reused id was acknowledged long ago. */
        private int packetId() {
            nextPacketId = nextPacketId % 0xFFFF + 1;
            return nextPacketId;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.writeAndFlush(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(clientId)
                    .username(user).password(password.getBytes(StandardCharsets.UTF_8)).cleanSession(true)
                    .keepAlive(0).build(), ctx.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            MqttMessageType type = msg.fixedHeader().messageType();
            if (type == MqttMessageType.CONNACK) {
                MqttConnAckMessage connAck = (MqttConnAckMessage) msg;
                if (connAck.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    accepted.completeExceptionally(new IllegalStateException("CONNACK "
                            + connAck.variableHeader().connectReturnCode()));
                    ctx.close();
                    return;
                }
                MqttProperties.MqttProperty<?> receiveMaximum = connAck.variableHeader().properties()
                        .getProperty(MqttProperties.RECEIVE_MAXIMUM);
                slots.release(receiveMaximum == null ? 0xFFFF : (Integer) receiveMaximum.value());
                accepted.complete(null);
            } else if (type == MqttMessageType.PUBACK) {
                MqttPubReplyMessageVariableHeader header = (MqttPubReplyMessageVariableHeader) msg.variableHeader();
                Pending done = pending.remove(header.messageId());
                if (done != null) {
                    slots.release();
                    // 0x10 "no matching subscribers" is accepted all the same. The broker does not say how many
                    // subscribers a publish reached: online is 0 (unknown), never a guess.
                    if (header.reasonCode() >= 0x80) {
                        done.accepted().completeExceptionally(new IllegalStateException(
                                "PUBACK reason 0x" + Integer.toHexString(header.reasonCode() & 0xFF)));
                    } else {
                        done.accepted().complete(new Accepted(done.messageId(), 0, 0));
                    }
                }
            } else if (type == MqttMessageType.DISCONNECT) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            accepted.completeExceptionally(new ClosedChannelException());
            pending.values().forEach(p -> p.accepted().completeExceptionally(new ClosedChannelException()));
            pending.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
