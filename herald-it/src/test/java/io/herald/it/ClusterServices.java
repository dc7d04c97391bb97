package io.herald.it;

import io.herald.cluster.discovery.DiscoverySettings;
import io.herald.cluster.discovery.ZooKeeperFixture;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.redis.RedisServerProcess;
import io.herald.cluster.redis.RedisSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared services of one test class's cluster: an in-process ZooKeeper with a 3 s session timeout, a private
 * redis-server, and a topic and consumer group of its own on the run's Kafka test broker. The database is not
 * here: a test picks MariaDB or PostgreSQL ({@code ArchiveDatabase}).
 */
final class ClusterServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterServices.class);

    /** At least 16 characters, as every cluster role requires. */
    static final String CLUSTER_SECRET = "it-cluster-secret-0123456789";

    private final ZooKeeperFixture zooKeeper;
    private final RedisServerProcess redis;
    private final KafkaSettings kafka;

    private ClusterServices(ZooKeeperFixture zooKeeper, RedisServerProcess redis, KafkaSettings kafka) {
        this.zooKeeper = zooKeeper;
        this.redis = redis;
        this.kafka = kafka;
    }

    /** Starts ZooKeeper and redis-server side by side. */
    static ClusterServices start(KafkaTestBroker broker) throws Exception {
        return start(broker, UnaryOperator.identity());
    }

    /** As {@link #start(KafkaTestBroker)}, with the Kafka settings adjusted (e.g. a short delivery timeout). */
    static ClusterServices start(KafkaTestBroker broker, UnaryOperator<KafkaSettings> kafkaSettings)
            throws Exception {
        long started = System.nanoTime();
        CompletableFuture<RedisServerProcess> redis = CompletableFuture.supplyAsync(() -> {
            try {
                return RedisServerProcess.start();
            } catch (Exception e) {
                throw new IllegalStateException("could not start redis-server", e);
            }
        });
        ZooKeeperFixture zooKeeper = new ZooKeeperFixture();
        ClusterServices services = new ClusterServices(zooKeeper, redis.join(),
                kafkaSettings.apply(broker.uniqueSettings()));
        log.info("ZooKeeper {} and Redis {} up in {} ms; Kafka {} topic {}", zooKeeper.settings().connectString(),
                services.redis.uri(), Duration.ofNanos(System.nanoTime() - started).toMillis(),
                services.kafka.bootstrapServers(), services.kafka.topic());
        return services;
    }

    /** A 3 s ZooKeeper session: a gateway that dies leaves routing within about that. */
    DiscoverySettings discovery() {
        return zooKeeper.settings();
    }

    Duration sessionTimeout() {
        return discovery().sessionTimeout();
    }

    RedisSettings redis() {
        return RedisSettings.of(redis.uri());
    }

    KafkaSettings kafka() {
        return kafka;
    }

    /** The redis-server process, for fault tests (io.herald.cluster.redis.RedisFaults). */
    RedisServerProcess redisServer() {
        return redis;
    }

    /** The ZooKeeper server, for fault tests (io.herald.cluster.discovery.ZooKeeperFaults). */
    ZooKeeperFixture zooKeeperFixture() {
        return zooKeeper;
    }

    @Override
    public void close() throws Exception {
        try {
            zooKeeper.close();
        } finally {
            redis.close();
        }
    }
}
