package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamArchive;
import io.herald.core.time.ExponentialBackoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@code archiver} role: consumes the upstream topic on its own thread and stores every message in an
 * {@link UpstreamArchive}, one insert transaction per polled batch.
 *
 * <p>Offsets are committed only after the insert committed. A crash between the two replays the batch, and the
 * archive's idempotent insert (unique client id + message id) skips what is already stored: every message ends up
 * stored exactly once. When an insert fails nothing is committed: the consumer seeks back to the batch's first
 * offsets and retries after a growing pause, so a database outage delays archiving but loses nothing.
 *
 * <p>Meters: gauge {@value ArchiverMetrics#LAG}, counters {@value ArchiverMetrics#ARCHIVED},
 * {@value ArchiverMetrics#DUPLICATES}, {@value ArchiverMetrics#RETRIES} and {@value ArchiverMetrics#UNDECODABLE}.
 */
public final class Archiver implements AutoCloseable {
    static final Duration INITIAL_RETRY_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(10);
    /** Bounds the lag query and a commit, so the loop keeps polling (and noticing a close) while Kafka is away. */
    static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private static final Logger log = LoggerFactory.getLogger(Archiver.class);

    private final KafkaSettings settings;
    private final UpstreamArchive archive;
    private final Consumer<String, byte[]> consumer;
    private final ArchiverMetrics metrics;
    private final KafkaClientMetrics clientMetrics;
    private final ExponentialBackoff backoff = new ExponentialBackoff(INITIAL_RETRY_PAUSE, MAX_RETRY_PAUSE);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile Throwable failure;

    private Archiver(KafkaSettings settings, UpstreamArchive archive, MeterRegistry registry) {
        this.settings = settings;
        this.archive = archive;
        this.consumer = new KafkaConsumer<>(consumerConfig(settings), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.metrics = new ArchiverMetrics(registry, settings);
        this.clientMetrics = KafkaClientMeters.bind(consumer, registry);
        this.thread = new Thread(this::run, "herald-archiver-" + THREAD_NUMBER.incrementAndGet());
    }

    /**
     * Creates the topic if it is missing, joins the consumer group and starts archiving on a new thread.
     *
     * @param archive  where messages are stored; its {@code append} must be idempotent
     * @param registry where the archiver's meters go
     */
    public static Archiver start(KafkaSettings settings, UpstreamArchive archive, MeterRegistry registry) {
        UpstreamTopic.ensureExists(settings);
        Archiver archiver = new Archiver(settings, archive, registry);
        archiver.thread.start();
        log.info("Archiving Kafka topic {} as group {} in batches of up to {}", settings.topic(),
                settings.consumerGroup(), settings.archiverBatchSize());
        return archiver;
    }

    /** False once closed, or once the thread died of an unexpected error (see {@link #failure()}). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The error that stopped the archiver's thread, or null. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(settings.topic()), new RebalanceLogger());
            while (closing.getCount() > 0) {
                ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                refreshLag(records.count());
                if (!records.isEmpty()) {
                    archiveAndCommit(records);
                }
            }
        } catch (WakeupException e) {
            if (closing.getCount() > 0) {
                failure = e;
                log.error("Archiver woken up without being closed; stopped", e);
            }
        } catch (Throwable e) {
            // Nothing of the batch in progress was committed, so a restarted archiver replays it.
            failure = e;
            log.error("Archiver stopped by an unexpected error; offsets after the last committed batch will be "
                    + "archived when an archiver runs again", e);
        } finally {
            closeQuietly();
        }
    }

    private void archiveAndCommit(ConsumerRecords<String, byte[]> records) {
        List<UpstreamMessage> batch = decode(records);
        int added;
        try {
            added = archive.append(batch);
        } catch (RuntimeException e) {
            Duration pause = backoff.next();
            metrics.retried();
            log.warn("Could not archive a batch of {} upstream messages, retrying it in {} ms without "
                    + "committing: {}", batch.size(), pause.toMillis(), e.toString());
            seekToStart(records);
            pause(pause);
            return;
        }
        backoff.reset();
        metrics.stored(batch.size(), added);
        if (log.isDebugEnabled()) {
            logArchived(batch);
        }
        commit(records);
    }

    /** One line per message, with its device and trace id in the MDC: a message can be followed to the archive. */
    private static void logArchived(List<UpstreamMessage> batch) {
        for (UpstreamMessage message : batch) {
            try (MDC.MDCCloseable client = MDC.putCloseable("clientId", message.clientId());
                 MDC.MDCCloseable trace = message.traceId() == null ? null
                         : MDC.putCloseable("traceId", message.traceId())) {
                log.debug("archived upstream message {} ({})", message.messageId(), message.contentType().label());
            }
        }
    }

    private List<UpstreamMessage> decode(ConsumerRecords<String, byte[]> records) {
        List<UpstreamMessage> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                batch.add(UpstreamRecordCodec.fromRecord(record));
            } catch (UndecodableRecordException e) {
                // Retrying cannot make it readable, and holding it would stop the partition: skip it, loudly.
                metrics.undecodable();
                log.error("Skipping a record that is not an upstream message: {}", e.getMessage());
            }
        }
        return batch;
    }

    /** Rewinds every partition of the batch to its first record, so the next poll returns the batch again. */
    private void seekToStart(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private void commit(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            ConsumerRecord<String, byte[]> last = inPartition.get(inPartition.size() - 1);
            next.put(partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
        }
        try {
            consumer.commitSync(next, KAFKA_CALL_TIMEOUT);
        } catch (WakeupException e) {
            // close() interrupted the commit of a batch already stored: finish it, so a restart replays less.
            consumer.commitSync(next, KAFKA_CALL_TIMEOUT);
            throw e;
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.warn("Could not commit an archived batch as the group is rebalancing; the partitions' new owner "
                    + "replays it and the archive skips the stored messages: {}", e.getMessage());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.warn("Committing an archived batch timed out; it is replayed and skipped if this archiver loses "
                    + "its partitions before the next commit: {}", e.getMessage());
        }
    }

    /**
     * Once per poll: the position is already past the batch just polled, which is not archived yet, so it counts
     * as lag until the next poll.
     */
    private void refreshLag(int polled) {
        try {
            metrics.lag(ConsumerLag.of(consumer, KAFKA_CALL_TIMEOUT) + polled);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.debug("Could not refresh the archiver lag: {}", e.getMessage());
        }
    }

    private void pause(Duration pause) {
        try {
            closing.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // Keeps the flag: the next poll throws Kafka's InterruptException and the thread stops.
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        clientMetrics.close();
        try {
            consumer.close(CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT));
        } catch (KafkaException e) {
            log.warn("Closing the archiver's Kafka consumer failed: {}", e.getMessage());
        }
        metrics.close();
    }

    /**
     * Stops polling, commits the batch in progress if its insert completed, leaves the group (so its partitions
     * move to the other archivers at once) and waits for the thread, up to 30 seconds.
     */
    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Archiver thread {} did not stop within {}", thread.getName(), CLOSE_TIMEOUT);
        } else {
            log.info("Archiver of topic {} stopped", settings.topic());
        }
    }

    static Map<String, Object> consumerConfig(KafkaSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
        // Offsets move only in commit(), after the batch is stored.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never archive records of a transaction that may still abort.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A new group starts at the beginning of the topic: nothing published before the first archiver is lost.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.archiverBatchSize());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_CALL_TIMEOUT.toMillis());
        settings.clientProperties().addToConsumer(config);
        return config;
    }

    private static final class RebalanceLogger implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Archiver assigned {} partition(s): {}", partitions.size(), partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Each batch is committed before the next poll, so there is nothing to flush here.
            log.info("Archiver revoked {} partition(s)", partitions.size());
        }
    }
}
