package io.herald.cluster.kafka;

import io.herald.core.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the cluster's Kafka is and how Herald uses it for upstream messages, validated once at start-up.
 *
 * @param bootstrapServers  comma-separated {@code host:port} list of brokers to discover the cluster from
 * @param topic             the upstream topic; gateways publish to it, archivers consume it
 * @param partitions        partition count used when Herald creates the topic; it bounds how many archivers can
 *                          share the load. An existing topic is left as it is.
 * @param consumerGroup     the archivers' consumer group: every archiver of one installation uses the same one
 * @param archiverBatchSize at most this many records per poll, and so per insert transaction
 * @param pollTimeout       how long one archiver poll waits for records; also how quickly an idle archiver
 *                          notices a close and refreshes its lag gauge
 * @param deliveryTimeout   how long a publish may take, retries included, before its future fails; the device is
 *                          acked only on success, so it resends what was not acknowledged
 * @param clientProperties  further Kafka client settings passed through (TLS, SASL), see
 *                          {@link KafkaClientProperties}
 */
public record KafkaSettings(String bootstrapServers, String topic, int partitions, String consumerGroup,
                            int archiverBatchSize, Duration pollTimeout, Duration deliveryTimeout,
                            KafkaClientProperties clientProperties) {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_TOPIC = "herald.upstream";
    /** Twelve lets one to twelve archivers (and 1, 2, 3, 4, 6 or 12 of them evenly) share the topic. */
    public static final int DEFAULT_PARTITIONS = 12;
    public static final String DEFAULT_CONSUMER_GROUP = "herald-archiver";
    /** Large enough that the per-transaction cost of the insert is amortised, small enough to retry cheaply. */
    public static final int DEFAULT_ARCHIVER_BATCH_SIZE = 500;
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /**
     * Kafka's own default is two minutes; a device waiting that long for its ack would have given up and resent
     * long before. Thirty seconds rides out a broker restart or a leader election.
     */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    public static final int MAX_PARTITIONS = 10_000;
    public static final int MAX_ARCHIVER_BATCH_SIZE = 10_000;
    public static final Duration MAX_POLL_TIMEOUT = Duration.ofMinutes(1);
    /** The producer needs room for a request timeout plus the linger time inside the delivery timeout. */
    public static final Duration MIN_DELIVERY_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_DELIVERY_TIMEOUT = Duration.ofMinutes(10);

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._\\-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:(\\d{1,5})");

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers are required, e.g. "
                    + DEFAULT_BOOTSTRAP_SERVERS + " or host1:9092,host2:9092");
        }
        for (String server : bootstrapServers.split(",")) {
            var matcher = HOST_PORT.matcher(server.trim());
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1
                    || Integer.parseInt(matcher.group(1)) > 65_535) {
                throw new IllegalArgumentException("kafka bootstrap server '" + server.trim()
                        + "' is not host:port with a port of 1-65535 (in '" + bootstrapServers + "')");
            }
        }
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("kafka topic must be 1-249 letters, digits or '._-', was '" + topic
                    + "' (default " + DEFAULT_TOPIC + ")");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("kafka topic partitions must be 1-" + MAX_PARTITIONS + ", was "
                    + partitions + " (default " + DEFAULT_PARTITIONS + ")");
        }
        if (consumerGroup == null || consumerGroup.isBlank()) {
            throw new IllegalArgumentException("kafka consumer group is required (default "
                    + DEFAULT_CONSUMER_GROUP + ")");
        }
        if (archiverBatchSize < 1 || archiverBatchSize > MAX_ARCHIVER_BATCH_SIZE) {
            throw new IllegalArgumentException("archiver batch size must be 1-" + MAX_ARCHIVER_BATCH_SIZE
                    + ", was " + archiverBatchSize + " (default " + DEFAULT_ARCHIVER_BATCH_SIZE + ")");
        }
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (pollTimeout.isNegative() || pollTimeout.isZero() || pollTimeout.compareTo(MAX_POLL_TIMEOUT) > 0) {
            throw new IllegalArgumentException("archiver poll timeout must be above 0 and at most "
                    + Durations.format(MAX_POLL_TIMEOUT) + ", was " + Durations.format(pollTimeout) + " (default "
                    + Durations.format(DEFAULT_POLL_TIMEOUT) + ")");
        }
        Objects.requireNonNull(clientProperties, "clientProperties");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (deliveryTimeout.compareTo(MIN_DELIVERY_TIMEOUT) < 0
                || deliveryTimeout.compareTo(MAX_DELIVERY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("kafka delivery timeout must be "
                    + Durations.format(MIN_DELIVERY_TIMEOUT) + " to " + Durations.format(MAX_DELIVERY_TIMEOUT)
                    + ", was " + Durations.format(deliveryTimeout) + " (default "
                    + Durations.format(DEFAULT_DELIVERY_TIMEOUT) + ")");
        }
    }

    /** Every default, with the given brokers. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, DEFAULT_TOPIC, DEFAULT_PARTITIONS, DEFAULT_CONSUMER_GROUP,
                DEFAULT_ARCHIVER_BATCH_SIZE, DEFAULT_POLL_TIMEOUT, DEFAULT_DELIVERY_TIMEOUT,
                KafkaClientProperties.NONE);
    }

    public KafkaSettings withTopic(String newTopic) {
        return new KafkaSettings(bootstrapServers, newTopic, partitions, consumerGroup, archiverBatchSize,
                pollTimeout, deliveryTimeout, clientProperties);
    }

    public KafkaSettings withPartitions(int newPartitions) {
        return new KafkaSettings(bootstrapServers, topic, newPartitions, consumerGroup, archiverBatchSize,
                pollTimeout, deliveryTimeout, clientProperties);
    }

    public KafkaSettings withConsumerGroup(String newGroup) {
        return new KafkaSettings(bootstrapServers, topic, partitions, newGroup, archiverBatchSize, pollTimeout,
                deliveryTimeout, clientProperties);
    }

    public KafkaSettings withArchiverBatchSize(int newBatchSize) {
        return new KafkaSettings(bootstrapServers, topic, partitions, consumerGroup, newBatchSize, pollTimeout,
                deliveryTimeout, clientProperties);
    }

    public KafkaSettings withPollTimeout(Duration newPollTimeout) {
        return new KafkaSettings(bootstrapServers, topic, partitions, consumerGroup, archiverBatchSize,
                newPollTimeout, deliveryTimeout, clientProperties);
    }

    public KafkaSettings withClientProperties(KafkaClientProperties properties) {
        return new KafkaSettings(bootstrapServers, topic, partitions, consumerGroup, archiverBatchSize, pollTimeout,
                deliveryTimeout, properties);
    }

    public KafkaSettings withDeliveryTimeout(Duration newDeliveryTimeout) {
        return new KafkaSettings(bootstrapServers, topic, partitions, consumerGroup, archiverBatchSize,
                pollTimeout, newDeliveryTimeout, clientProperties);
    }
}
