package io.herald.core.event;

/** What happened; {@link #wireName()} is the {@code "type"} of the event's JSON (docs/events.md). */
public enum EventType {
    DEVICE_CONNECTED("device.connected"),
    DEVICE_DISCONNECTED("device.disconnected"),
    DEVICE_WILL("device.will"),
    MESSAGE_ACKED("message.acked"),
    MESSAGE_EXPIRED("message.expired");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
