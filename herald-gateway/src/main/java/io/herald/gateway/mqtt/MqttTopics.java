package io.herald.gateway.mqtt;

import io.herald.protocol.ContentType;

/**
 * The topic scheme, the only topics a device reaches (its own): it receives pushes on {@code devices/{id}/messages}
 * and sends upstream messages to {@code devices/{id}/up/{contentType}}, the content type one of Herald's labels
 * ({@code text}, {@code json}, {@code binary}, {@code image}, {@code video}, {@code audio}).
 */
final class MqttTopics {
    static final String PREFIX = "devices/";
    static final String MESSAGES = "/messages";
    static final String UP = "/up/";

    private MqttTopics() {
    }

    /** Where pushes to the device are published. */
    static String messages(String clientId) {
        return PREFIX + clientId + MESSAGES;
    }

    /**
     * The content type of an upstream message published to {@code topic} by {@code clientId}; null when the topic is
     * not one of the device's upstream topics or names no known content type.
     */
    static ContentType upstreamContentType(String clientId, String topic) {
        String own = PREFIX + clientId + UP;
        return topic.startsWith(own) ? ContentType.ofLabel(topic.substring(own.length())) : null;
    }

    /** Whether a topic filter holds MQTT's wildcards, which the gateway does not offer. */
    static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }
}
