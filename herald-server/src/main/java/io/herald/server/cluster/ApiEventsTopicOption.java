package io.herald.server.cluster;

import io.herald.cluster.kafka.KafkaSettings;
import picocli.CommandLine.Option;

/**
 * The Kafka topic an API node publishes the QoS 1 expiries of its housekeeping to (docs/events.md). Off by default,
 * unlike a gateway's: an API node needs no Kafka otherwise, and creating the topic at start would make every API
 * node fail to start while Kafka is away. {@code bin/herald-cluster} and conf/api.properties turn it on.
 */
public final class ApiEventsTopicOption {

    @Option(names = "--events-topic", defaultValue = "off", paramLabel = "TOPIC|off",
            description = "Kafka topic (on the brokers of --kafka) this API node publishes message.expired events to,"
                    + " as the gateways publish theirs; off: none (default: ${DEFAULT-VALUE}).")
    String topic;

    ClusterEvents apply(ClusterEvents events, KafkaSettings kafka) {
        return EventsTopicOption.apply(topic, events, kafka);
    }
}
