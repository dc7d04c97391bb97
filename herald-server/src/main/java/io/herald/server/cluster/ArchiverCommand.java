package io.herald.server.cluster;

import io.herald.cluster.kafka.KafkaSettings;
import io.herald.server.cli.LogOptions;
import io.herald.server.cli.ArchiveRetentionOption;
import io.herald.server.cli.ConfigFileOption;
import io.herald.server.cli.DatabaseOptions;
import io.herald.server.cli.OptionCheck;
import io.herald.server.cli.Setting;
import io.herald.server.node.ReadyLine;
import io.herald.server.node.RunUntilStopped;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code herald archiver}: consumes the upstream topic into the database. */
@Command(name = "archiver", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster role: consumes upstream messages from Kafka and stores them in the database,"
                + " idempotently, committing offsets only after the insert. Run one or more (they share the topic)."})
public final class ArchiverCommand implements Callable<Integer> {

    @Mixin
    LogOptions logs;

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--bind", defaultValue = "0.0.0.0",
            description = "Address of the health/metrics listener (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--ops-port", defaultValue = "9300",
            description = "Port of /health and /metrics (with the consumer lag); -1 turns it off"
                    + " (default: ${DEFAULT-VALUE}).")
    int opsPort;

    @Option(names = "--consumer-group", defaultValue = KafkaSettings.DEFAULT_CONSUMER_GROUP,
            description = "Kafka consumer group the archivers share (default: ${DEFAULT-VALUE}).")
    String consumerGroup;

    @Option(names = "--batch-size", defaultValue = "" + KafkaSettings.DEFAULT_ARCHIVER_BATCH_SIZE,
            description = "Messages per database insert at most (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DatabaseOptions database;

    @Mixin
    ArchiveRetentionOption archiveRetention;

    @Override
    public Integer call() throws Exception {
        logs.apply("archiver");
        ArchiverNode node = ArchiverNode.start(settings());
        ReadyLine.print("Herald archiver is up: topic %s, health on port %d", node.settings().kafka().topic(),
                node.opsPort());
        RunUntilStopped.await(node);
        return 0;
    }

    ArchiverNode.Settings settings() {
        OptionCheck.address("--bind", bind);
        OptionCheck.port("--ops-port", opsPort, true);
        KafkaSettings topic = Setting.of("--consumer-group/--batch-size", () -> kafka.settings()
                .withConsumerGroup(consumerGroup).withArchiverBatchSize(batchSize));
        return new ArchiverNode.Settings(topic, database.required(), bind, opsPort, archiveRetention.retention());
    }
}
