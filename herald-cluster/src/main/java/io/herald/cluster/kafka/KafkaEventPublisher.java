package io.herald.cluster.kafka;

import io.herald.core.event.Event;
import io.herald.core.event.EventJson;
import io.herald.core.event.EventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events (docs/events.md) to the events topic, one JSON record each, keyed by client id so that one
 * device's events stay in one partition, in order. The producer is the upstream publisher's (idempotent,
 * {@code acks=all}, {@link KafkaUpstreamPublisher#producerConfig}); {@link #publish} only hands the record to one
 * sending thread through a bounded queue, because {@code send} blocks while the producer has no metadata or a
 * full buffer (brokers unreachable): an event loop never waits, and what the full queue cannot take is dropped and
 * counted ({@code herald_kafka_events_dropped_total}). Records the producer could not deliver within the delivery
 * timeout are counted as failed.
 */
public final class KafkaEventPublisher implements EventSink, AutoCloseable {
    /** Events waiting for the sending thread at most. */
    public static final int QUEUE_SIZE = 10_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

    private final String topic;
    private final Producer<String, byte[]> producer;
    private final ThreadPoolExecutor sender;
    private final Counter published;
    private final Counter dropped;
    private final Counter failed;

    /**
     * Creates the topic if it is missing and connects; blocks up to the admin timeout. Call it at start-up.
     *
     * @param settings the cluster's Kafka settings with the events topic as {@link KafkaSettings#topic()}
     */
    public KafkaEventPublisher(KafkaSettings settings, MeterRegistry registry) {
        this.topic = settings.topic();
        UpstreamTopic.ensureExists(settings);
        this.producer = new KafkaProducer<>(KafkaUpstreamPublisher.producerConfig(settings), new StringSerializer(),
                new ByteArraySerializer());
        ArrayBlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, runnable -> {
            Thread thread = new Thread(runnable, "herald-kafka-events");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        published = Counter.builder("herald.kafka.events.published")
                .description("Events the Kafka brokers acknowledged on the events topic").register(registry);
        dropped = Counter.builder("herald.kafka.events.dropped")
                .description("Events dropped because the queue to the Kafka producer was full (brokers unreachable)")
                .register(registry);
        failed = Counter.builder("herald.kafka.events.failed")
                .description("Events the Kafka producer could not deliver within the delivery timeout")
                .register(registry);
        Gauge.builder("herald.kafka.events.queue.size", queue, ArrayBlockingQueue::size)
                .description("Events waiting for the Kafka producer").register(registry);
        log.info("Publishing events to Kafka topic {} on {}", topic, settings.bootstrapServers());
    }

    /** Queues the event for the producer, or drops and counts it. Never blocks. */
    @Override
    public void publish(Event event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.clientId(), EventJson.encode(event));
        try {
            sender.execute(() -> send(record));
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    published.increment();
                } else {
                    failed.increment();
                    log.debug("event for {} not delivered to {}: {}", record.key(), topic, error.toString());
                }
            });
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("event for {} not handed to the Kafka producer: {}", record.key(), e.toString());
        }
    }

    /** Sends what is queued, then waits (boundedly) for the brokers to acknowledge it. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.shutdownNow();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
