package io.herald.bench.sim;

/**
 * The topics the MQTT scenarios use, as a device sees them (docs/mqtt.md, "Topics"): pushes to a device are
 * published to {@code devices/{id}/messages} on Herald and on the broker alike; a broker's fan-out goes to one topic
 * every device subscribes to, where Herald's broadcast reaches each device on its own topic.
 */
public final class MqttBenchTopics {
    /** The broker's fan-out topic; Herald refuses the subscription to it (a device reaches only its own topics). */
    public static final String FAN_OUT = "bench/all/messages";
    /** The User Property that carries a message's id: Herald's own (docs/mqtt.md), and the bench's on the broker. */
    public static final String MESSAGE_ID = "message-id";

    private MqttBenchTopics() {
    }

    /** Where pushes to {@code clientId} are published. */
    public static String messages(String clientId) {
        return "devices/" + clientId + "/messages";
    }
}
