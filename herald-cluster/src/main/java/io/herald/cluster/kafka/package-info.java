/**
 * Upstream messages through Kafka in cluster mode. Gateways publish every message a device sends with a
 * {@link io.herald.cluster.kafka.KafkaUpstreamPublisher}, keyed by client id, and ack the device once Kafka has
 * it; {@link io.herald.cluster.kafka.Archiver}s consume the topic and store each message exactly once in an
 * {@link io.herald.core.store.UpstreamArchive}. See {@code docs/cluster-kafka.md}.
 */
package io.herald.cluster.kafka;
