package io.herald.server.cluster;

import io.herald.api.webhook.WebhookPublisher;
import io.herald.api.webhook.WebhookSettings;
import io.herald.cluster.kafka.KafkaEventPublisher;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.core.event.EventSink;
import io.herald.core.event.Events;
import io.herald.server.node.Closer;
import io.herald.store.jdbc.JdbcMessageStatuses;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a cluster node's events go (docs/events.md): gateways tell connects, disconnects and ACKs, API nodes the
 * expiries their housekeeping purges; each to the events topic and to the webhook, whichever is on.
 *
 * @param kafka                  the cluster's Kafka with the events topic as its topic; null: no topic
 * @param webhook                where events are posted; null: nowhere
 * @param messageStatusRetention how long API nodes answer acked and expired outcomes
 */
public record ClusterEvents(KafkaSettings kafka, WebhookSettings webhook, Duration messageStatusRetention) {
    public static final String DEFAULT_TOPIC = "herald.events";
    /** No topic, no webhook, outcomes for the default retention. */
    public static final ClusterEvents OFF = new ClusterEvents(null, null, JdbcMessageStatuses.DEFAULT_RETENTION);

    public ClusterEvents {
        Objects.requireNonNull(messageStatusRetention, "messageStatusRetention");
    }

    /** These events with the topic on, on {@code kafka} with {@code topic}. */
    public ClusterEvents withTopic(KafkaSettings kafka, String topic) {
        return new ClusterEvents(kafka.withTopic(topic), webhook, messageStatusRetention);
    }

    /**
     * Starts the topic's producer (creating the topic if needed) and the webhook's sender, each closed by
     * {@code closer}, and returns the node's events.
     */
    Events start(Closer closer, String nodeId, MeterRegistry meters, Clock clock) {
        List<EventSink> sinks = new ArrayList<>();
        if (kafka != null) {
            sinks.add(closer.add(new KafkaEventPublisher(kafka, meters)));
        }
        if (webhook != null) {
            sinks.add(closer.add(WebhookPublisher.start(webhook, meters, clock)));
        }
        return new Events(nodeId, clock, EventSink.all(sinks));
    }
}
