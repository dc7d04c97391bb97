package io.herald.server.cluster;

import io.herald.api.ApiDependencies;
import io.herald.api.HealthCheck;
import io.herald.api.OpsHttpServer;
import io.herald.cluster.kafka.Archiver;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.server.node.NodeMetrics;
import io.herald.store.jdbc.ArchiveRetention;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcSettings;
import io.herald.store.jdbc.JdbcUpstreamArchive;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The archiver role's composition root: database, Kafka consumer, health and metrics. Closes in reverse. */
public final class ArchiverNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArchiverNode.class);

    /**
     * @param opsPort          -1: no health/metrics listener
     * @param archiveRetention how long upstream messages stay in the archive; zero: forever
     */
    public record Settings(KafkaSettings kafka, JdbcSettings jdbc, String bindAddress, int opsPort,
                           Duration archiveRetention) {

        public Settings {
            ArchiveRetention.requireValid(archiveRetention);
        }

        /** With the {@link ArchiveRetention#DEFAULT_RETENTION default archive retention}. */
        public Settings(KafkaSettings kafka, JdbcSettings jdbc, String bindAddress, int opsPort) {
            this(kafka, jdbc, bindAddress, opsPort, ArchiveRetention.DEFAULT_RETENTION);
        }
    }

    private final Settings settings;
    private final PrometheusMeterRegistry meters;
    private final Database database;
    private final Archiver archiver;
    private final ArchiveRetention retention;
    private final OpsHttpServer ops;
    private final int opsPort;

    private ArchiverNode(Settings settings) {
        this.settings = settings;
        this.meters = NodeMetrics.create("archiver", settings.kafka().consumerGroup());
        this.database = Database.open(settings.jdbc(), meters);
        Archiver started = null;
        OpsHttpServer startedOps = null;
        JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database);
        try {
            started = Archiver.start(settings.kafka(), archive, meters);
            Archiver running = started;
            if (settings.opsPort() >= 0) {
                startedOps = new OpsHttpServer(settings.bindAddress(), settings.opsPort(),
                        new ApiDependencies.Ops(meters, List.of(
                                HealthCheck.of("database", database::isHealthy),
                                HealthCheck.of("archiver", running::isRunning)),
                                List.of(HealthCheck.of("archiver", running::isRunning))));
                opsPort = startedOps.start();
            } else {
                opsPort = -1;
            }
        } catch (RuntimeException e) {
            if (started != null) {
                started.close();
            }
            database.close();
            throw e;
        }
        this.archiver = started;
        this.ops = startedOps;
        // Every archiver of the group runs it: the deletes are idempotent, and each batch is small.
        this.retention = ArchiveRetention.start(archive, settings.archiveRetention(), Clock.systemUTC());
        log.info("archiver consuming {} from {} as group {} into {}", settings.kafka().topic(),
                settings.kafka().bootstrapServers(), settings.kafka().consumerGroup(), database.dialect());
    }

    public static ArchiverNode start(Settings settings) {
        return new ArchiverNode(settings);
    }

    public Settings settings() {
        return settings;
    }

    public int opsPort() {
        return opsPort;
    }

    public Archiver archiver() {
        return archiver;
    }

    /** Stops consuming (offsets of stored batches are committed), then the listener, then the database. */
    @Override
    public void close() {
        retention.close();
        archiver.close();
        if (ops != null) {
            ops.close();
        }
        database.close();
        meters.close();
        log.info("archiver stopped");
    }
}
