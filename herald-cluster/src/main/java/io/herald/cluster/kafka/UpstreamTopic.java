package io.herald.cluster.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the upstream topic when it is missing. Herald's brokers are expected to run with
 * {@code auto.create.topics.enable=false} (an auto-created topic gets the broker's default partition count), so
 * every gateway and archiver calls this at start-up; whichever comes first creates it, the others find it there.
 */
public final class UpstreamTopic {
    /** Bounds start-up against an unreachable cluster; Kafka's own default would wait a minute. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
    /** Between two checks of a new topic's leaders. */
    private static final Duration LEADER_CHECK_PAUSE = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(UpstreamTopic.class);

    private UpstreamTopic() {
    }

    /**
     * Creates {@code settings.topic()} with {@code settings.partitions()} partitions and the brokers' default
     * replication factor ({@code default.replication.factor}, which production clusters set to 3).
     *
     * @return whether this call created it
     * @throws KafkaException when the cluster cannot be reached within {@link #ADMIN_TIMEOUT} or refuses
     */
    public static boolean ensureExists(KafkaSettings settings) {
        try (Admin admin = Admin.create(adminConfig(settings))) {
            boolean created = create(admin, settings);
            awaitLeaders(admin, settings.topic());
            return created;
        } catch (ExecutionException e) {
            throw new KafkaException("Could not set up Kafka topic " + settings.topic() + " on "
                    + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka at " + settings.bootstrapServers() + " did not answer within "
                    + ADMIN_TIMEOUT + " while creating topic " + settings.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while creating Kafka topic " + settings.topic(), e);
        }
    }

    private static boolean create(Admin admin, KafkaSettings settings)
            throws ExecutionException, InterruptedException, TimeoutException {
        NewTopic topic = new NewTopic(settings.topic(), Optional.of(settings.partitions()), Optional.empty());
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created Kafka topic {} with {} partitions", settings.topic(), settings.partitions());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                log.debug("Kafka topic {} exists", settings.topic());
                return false;
            }
            throw e;
        }
    }

    /**
     * Waits until every partition's leader serves it. The controller confirms a new topic before the leaders
     * have set up their partitions; an idempotent producer whose first batches meet that gap (NOT_LEADER for one
     * batch, an unknown sequence for the next) was seen retrying OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery
     * timeout. Listing the partitions' end offsets goes to each leader; a leader that does not host its partition
     * yet answers with a retriable error (UNKNOWN_TOPIC_OR_PARTITION, seen on a loaded machine), which the admin
     * client passes on, so the check is asked again until every leader answers or {@link #ADMIN_TIMEOUT} is up.
     */
    private static void awaitLeaders(Admin admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                listEndOffsets(admin, topic, deadline);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                log.debug("Kafka topic {}: a leader is not ready yet ({}), asking again", topic,
                        e.getCause().toString());
                Thread.sleep(LEADER_CHECK_PAUSE.toMillis());
            }
        }
    }

    private static void listEndOffsets(Admin admin, String topic, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(left, TimeUnit.MILLISECONDS)
                .get(topic).partitions()
                .forEach(partition -> partitions.put(new TopicPartition(topic, partition.partition()),
                        OffsetSpec.latest()));
        admin.listOffsets(partitions).all().get(left, TimeUnit.MILLISECONDS);
    }

    static Map<String, Object> adminConfig(KafkaSettings settings) {
        int timeoutMs = (int) ADMIN_TIMEOUT.toMillis();
        Map<String, Object> config = new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
        settings.clientProperties().addToAdmin(config);
        return config;
    }
}
