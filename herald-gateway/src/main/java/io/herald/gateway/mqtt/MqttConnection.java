package io.herald.gateway.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What one MQTT connection adds to its {@code DeviceSession}: the protocol version and options of its CONNECT, the
 * packet ids in flight both ways, and how it ended (for the will). Kept under its own channel attribute, made when the
 * connection starts speaking MQTT; event loop only.
 */
final class MqttConnection {
    private static final AttributeKey<MqttConnection> KEY = AttributeKey.valueOf(MqttConnection.class, "mqtt");

    /** Null until a CONNECT was read. */
    private MqttVersion version;
    private boolean connackSent;
    private boolean cleanSession;
    private boolean problemInformation = true;
    /** The Session Expiry Interval of an MQTT 5 CONNECT (seconds, unsigned; 0 when absent). */
    private long requestedSessionExpiry;
    private Will will;
    private boolean disconnectedByDevice;
    /** The keepalive the server told an MQTT 5 device to use instead of its own (seconds), or -1. */
    private int serverKeepAlive = -1;
    private final PacketIds downstream = new PacketIds();
    /** Upstream QoS 1 messages being handled: the message id the gateway gave each, to its packet id. */
    private final Map<Long, Integer> upstream = new HashMap<>();
    private long lastUpstreamId;
    /** Packets a device sent right behind its CONNECT (MQTT allows that), held until the CONNACK is out; else null. */
    private ArrayDeque<MqttMessage> held;

    /**
     * A CONNECT's will: the gateway publishes nothing, it reports the will as a presence event ({@link WillEvents}).
     *
     * @param payload      as the device sent it when at most {@link #MAX_KEPT_PAYLOAD_BYTES}, else null (a presence
     *                     event needs no more, and every connection and every queued event would hold it); not
     *                     copied, do not change it
     * @param payloadBytes the will message's length
     * @param delaySeconds MQTT 5's Will Delay Interval (0 for MQTT 3.1.1 and when absent), unsigned
     * @param contentType  MQTT 5's will Content Type; null when absent (or longer than 256 characters)
     */
    record Will(String topic, byte[] payload, int payloadBytes, int qos, boolean retain, long delaySeconds,
                String contentType) {
        static final int MAX_KEPT_PAYLOAD_BYTES = 4096;
        /** A longer will topic is cut to this many characters and an ellipsis, for the same reason. */
        static final int MAX_KEPT_TOPIC_CHARS = 1024;
        /** A longer content type is left out, for the same reason. */
        static final int MAX_KEPT_CONTENT_TYPE_CHARS = 256;

        static Will of(String topic, byte[] message, int qos, boolean retain, long delaySeconds, String contentType) {
            String kept = topic.length() <= MAX_KEPT_TOPIC_CHARS ? topic
                    : topic.substring(0, MAX_KEPT_TOPIC_CHARS) + "\u2026";
            return new Will(kept, message.length <= MAX_KEPT_PAYLOAD_BYTES ? message : null, message.length, qos,
                    retain, delaySeconds, contentType == null || contentType.length() <= MAX_KEPT_CONTENT_TYPE_CHARS
                            ? contentType : null);
        }

        /** Memory the will holds beyond the connection's own (roughly: the topic's characters count once). */
        int keptBytes() {
            return (payload == null ? 0 : payload.length) + topic.length();
        }
    }

    static MqttConnection attach(Channel channel) {
        MqttConnection connection = new MqttConnection();
        channel.attr(KEY).set(connection);
        return connection;
    }

    static MqttConnection of(Channel channel) {
        return channel.attr(KEY).get();
    }

    void connected(MqttVersion version, boolean cleanSession, boolean problemInformation, Will will) {
        this.version = version;
        this.cleanSession = cleanSession;
        this.problemInformation = problemInformation;
        this.will = will;
    }

    /** Null until a CONNECT was read. */
    MqttVersion version() {
        return version;
    }

    boolean isMqtt5() {
        return version == MqttVersion.MQTT_5;
    }

    boolean connectSeen() {
        return version != null;
    }

    boolean connackSent() {
        return connackSent;
    }

    void connackSent(boolean sent) {
        connackSent = sent;
    }

    boolean cleanSession() {
        return cleanSession;
    }

    long requestedSessionExpiry() {
        return requestedSessionExpiry;
    }

    void requestedSessionExpiry(long seconds) {
        requestedSessionExpiry = seconds;
    }

    /** MQTT 5's Request Problem Information: false when the device asked for no reason strings. */
    boolean problemInformation() {
        return problemInformation;
    }

    Will will() {
        return will;
    }

    /** The device sent DISCONNECT; {@code withWill}: MQTT 5's reason 0x04, which asks for the will anyway. */
    void disconnectedByDevice(boolean withWill) {
        disconnectedByDevice = true;
        if (!withWill) {
            will = null;
        }
    }

    boolean disconnectedByDevice() {
        return disconnectedByDevice;
    }

    int serverKeepAlive() {
        return serverKeepAlive;
    }

    void serverKeepAlive(int seconds) {
        serverKeepAlive = seconds;
    }

    PacketIds downstream() {
        return downstream;
    }

    /**
     * The id of the next upstream message: Herald's upstream path keys messages by (client id, message id), and MQTT's
     * 16-bit packet ids are reused, so the gateway gives each message a time-ordered id of its own (epoch milliseconds
     * shifted left by 20 bits, plus a count within the millisecond), unless an MQTT 5 device names one itself
     * (user property {@code message-id}).
     */
    long nextUpstreamId(long nowMillis) {
        lastUpstreamId = Math.max(lastUpstreamId + 1, nowMillis << 20);
        return lastUpstreamId;
    }

    /** Holds a packet that came before the CONNACK; false (and nothing held) once {@code max} are held. */
    boolean hold(MqttMessage packet, int max) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        if (held.size() >= max) {
            return false;
        }
        held.add(packet);
        return true;
    }

    /** The next held packet, oldest first; null when none. */
    MqttMessage nextHeld() {
        return held == null ? null : held.poll();
    }

    /** The connection closed: what is still held is dropped. */
    void releaseHeld() {
        for (MqttMessage packet = nextHeld(); packet != null; packet = nextHeld()) {
            ReferenceCountUtil.release(packet);
        }
    }

    void upstreamPending(long messageId, int packetId) {
        upstream.put(messageId, packetId);
    }

    boolean isUpstreamPending(long messageId) {
        return upstream.containsKey(messageId);
    }

    /** The packet id of an upstream message whose handling finished; null when it was not pending. */
    Integer upstreamDone(long messageId) {
        return upstream.remove(messageId);
    }
}
