package io.herald.core.event;

import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds this node's events and hands them to its {@link EventSink}: the one place each event's fields are chosen
 * (docs/events.md lists them). With {@link EventSink#NONE} nothing is built, so the ACK path pays nothing when
 * events are off. Thread-safe; never blocks (the sink does not).
 */
public final class Events {
    /** Events are off. */
    public static final Events NONE = new Events("none", Clock.systemUTC(), EventSink.NONE);

    private final String nodeId;
    private final Clock clock;
    private final EventSink sink;
    private final EventIds ids = new EventIds();

    public Events(String nodeId, Clock clock, EventSink sink) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public boolean enabled() {
        return sink != EventSink.NONE;
    }

    /**
     * @param transport     {@code tcp}, {@code ws}, {@code mqtt}, ... (the gateway's name for it)
     * @param remoteAddress the device's address as the gateway sees it ({@code 203.0.113.7:51234})
     */
    public void deviceConnected(String clientId, String sessionId, String transport, String remoteAddress) {
        if (!enabled()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sessionId", sessionId);
        details.put("transport", transport);
        details.put("remoteAddress", remoteAddress);
        publish(EventType.DEVICE_CONNECTED, clientId, details);
    }

    public void deviceDisconnected(String clientId, String sessionId, DisconnectReason reason,
                                   long sessionMillis) {
        if (!enabled()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sessionId", sessionId);
        details.put("reason", reason.wireName());
        details.put("sessionDurationMs", sessionMillis);
        publish(EventType.DEVICE_DISCONNECTED, clientId, details);
    }

    /**
     * An MQTT device's will: its connection ended without DISCONNECT (or with MQTT 5's "disconnect with will") and,
     * when it asked for a delay, it did not come back within it.
     *
     * @param payload      the will message, sent as base64 (it may be binary); null when the gateway did not keep it
     *                     (too large for an event), and then left out
     * @param payloadBytes the will message's length
     * @param contentType  MQTT 5's will content type; null when the device gave none
     * @param delaySeconds the Will Delay Interval waited for (0: reported at once)
     */
    public void deviceWill(String clientId, String sessionId, String topic, byte[] payload, int payloadBytes, int qos,
                           boolean retain, String contentType, long delaySeconds) {
        if (!enabled()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sessionId", sessionId);
        details.put("topic", topic);
        details.put("payloadBytes", payloadBytes);
        if (payload != null) {
            details.put("payload", Base64.getEncoder().encodeToString(payload));
        }
        if (contentType != null) {
            details.put("contentType", contentType);
        }
        details.put("qos", qos);
        details.put("retain", retain);
        details.put("delaySeconds", delaySeconds);
        publish(EventType.DEVICE_WILL, clientId, details);
    }

    /**
     * The device acknowledged the QoS 1 message: delivered. {@code rejected}: its ACK said REJECTED (it took the
     * message off the wire but will never process it), which ends the delivery just the same.
     */
    public void messageAcked(String clientId, long messageId, boolean rejected) {
        if (!enabled()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("messageId", Long.toUnsignedString(messageId));
        details.put("status", rejected ? "rejected" : "ok");
        publish(EventType.MESSAGE_ACKED, clientId, details);
    }

    /** The QoS 1 message's time to live ran out before the device acknowledged it: it is dropped. */
    public void messageExpired(String clientId, long messageId) {
        if (!enabled()) {
            return;
        }
        // A string, as everywhere in the API: 63-bit ids do not fit a JavaScript number.
        publish(EventType.MESSAGE_EXPIRED, clientId, Map.of("messageId", Long.toUnsignedString(messageId)));
    }

    private void publish(EventType type, String clientId, Map<String, Object> details) {
        sink.publish(new Event(ids.next(), type, clock.millis(), nodeId, clientId, details));
    }
}
