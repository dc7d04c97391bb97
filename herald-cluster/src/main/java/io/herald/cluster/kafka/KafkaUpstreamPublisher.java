package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's side of the upstream topic: publishes each message a device sent, keyed by its client id, and
 * tells when the brokers have it, so that the gateway acks the device only then. Thread-safe; one per gateway.
 *
 * <p>The producer is idempotent with {@code acks=all}: an acknowledged message is on every in-sync replica, and
 * the producer's own retries (after a lost response or a leader change) neither duplicate nor reorder a
 * device's messages. Duplicates that still reach the topic, a device resending after a reconnect, possibly
 * through another gateway, are removed by the archive's idempotent insert.
 */
public final class KafkaUpstreamPublisher implements AutoCloseable {
    /**
     * Waits this long for more records before sending a batch: under load, batches of many devices' messages
     * cost one request each; when idle it adds at most these milliseconds to the device's ack.
     */
    static final Duration LINGER = Duration.ofMillis(5);
    /** Kafka's default; at most 5 keeps ordering with idempotence even when a request is retried. */
    static final int MAX_IN_FLIGHT_REQUESTS = 5;
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(KafkaUpstreamPublisher.class);

    private final KafkaSettings settings;
    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics clientMetrics;

    /**
     * Creates the topic if it is missing and connects. Blocks up to {@link UpstreamTopic#ADMIN_TIMEOUT} plus the
     * delivery timeout; call it at start-up, off the event loops.
     */
    public KafkaUpstreamPublisher(KafkaSettings settings) {
        this(settings, new CompositeMeterRegistry());
    }

    /** Like {@link #KafkaUpstreamPublisher(KafkaSettings)}, with the producer's figures in {@code registry}. */
    public KafkaUpstreamPublisher(KafkaSettings settings, MeterRegistry registry) {
        this.settings = settings;
        UpstreamTopic.ensureExists(settings);
        this.producer = new KafkaProducer<>(producerConfig(settings), new StringSerializer(),
                new ByteArraySerializer());
        try {
            // Fetches the topic's metadata now, so that publish() never blocks on it later.
            int partitions = producer.partitionsFor(settings.topic()).size();
            log.info("Publishing upstream messages to Kafka topic {} ({} partitions) on {}", settings.topic(),
                    partitions, settings.bootstrapServers());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        this.clientMetrics = KafkaClientMeters.bind(producer, registry);
    }

    /**
     * Publishes the message. The future completes when every in-sync replica has it, and fails with an
     * {@link UpstreamPublishException} when that did not happen within the delivery timeout (or the publisher is
     * closed); it never hangs. It completes on the producer's I/O thread: use the {@code *Async} methods for
     * anything slow.
     *
     * <p>Does not block in the steady state. It blocks, for at most the delivery timeout, only when the producer's
     * buffer is full because the brokers have been unreachable for a while.
     */
    public CompletableFuture<Void> publish(UpstreamMessage message) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(UpstreamRecordCodec.toRecord(settings.topic(), message), (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(failure(message, error));
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(failure(message, e));
        }
        return acked;
    }

    private UpstreamPublishException failure(UpstreamMessage message, Throwable error) {
        return new UpstreamPublishException("Kafka did not acknowledge upstream message " + message.messageId()
                + " of " + message.clientId() + " on topic " + settings.topic() + " within "
                + settings.deliveryTimeout() + ": " + error.getMessage(), error);
    }

    /** Waits (boundedly) for messages in flight to be acknowledged; their futures complete either way. */
    @Override
    public void close() {
        clientMetrics.close();
        producer.close(CLOSE_TIMEOUT);
    }

    static Map<String, Object> producerConfig(KafkaSettings settings) {
        long deliveryMs = settings.deliveryTimeout().toMillis();
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        long requestMs = Math.min(MAX_REQUEST_TIMEOUT.toMillis(), deliveryMs - LINGER.toMillis());
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_REQUESTS);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryMs);
        // Payloads are small and often JSON: lz4 shrinks batches for little CPU.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.clientProperties().addToProducer(config);
        return config;
    }
}
