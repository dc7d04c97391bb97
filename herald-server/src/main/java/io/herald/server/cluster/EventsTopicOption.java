package io.herald.server.cluster;

import io.herald.cluster.kafka.KafkaSettings;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The Kafka topic a gateway publishes its events to (docs/events.md); API nodes: {@link ApiEventsTopicOption}. */
public final class EventsTopicOption {

    @Option(names = "--events-topic", defaultValue = ClusterEvents.DEFAULT_TOPIC, paramLabel = "TOPIC|off",
            description = "Kafka topic of events (connects, disconnects, QoS 1 acks and expiries) as JSON, keyed by"
                    + " client id, on the brokers of --kafka; off: none (default: ${DEFAULT-VALUE}).")
    String topic;

    /** {@code events} with the topic on {@code kafka}, or as they are when it is off. */
    ClusterEvents apply(ClusterEvents events, KafkaSettings kafka) {
        return apply(topic, events, kafka);
    }

    /** The one rule for both roles' option: {@code off}, or a topic other than the upstream one. */
    static ClusterEvents apply(String topic, ClusterEvents events, KafkaSettings kafka) {
        String name = topic.trim();
        if (name.toLowerCase(Locale.ROOT).equals("off")) {
            return events;
        }
        if (name.equals(kafka.topic())) {
            throw new IllegalArgumentException("--events-topic must differ from --kafka-topic (" + name
                    + "): the archiver reads every record of that one as an upstream message");
        }
        return events.withTopic(kafka, name);
    }
}
