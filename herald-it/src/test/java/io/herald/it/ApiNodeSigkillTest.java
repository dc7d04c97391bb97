package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.discovery.ZooKeeperFixture;
import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.redis.RedisServerProcess;
import io.herald.core.message.PushMessage;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcOfflineStore;
import io.herald.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's side of "a 202 means stored": an API node JVM takes bursts of QoS 1 pushes to offline devices and
 * is killed with SIGKILL the moment the last 202 arrives; the database then holds every accepted push for its
 * device. The node stores (and commits) before it answers, and the database keeps what was committed when the
 * node's connections die. Three rounds per database, each on a fresh API node.
 */
class ApiNodeSigkillTest {
    private static final Logger log = LoggerFactory.getLogger(ApiNodeSigkillTest.class);
    /** ApiCommand prints this once the node serves HTTP. */
    private static final Pattern UP = Pattern.compile("Herald API node \\d+ is up: HTTP \\S+:(\\d+)");
    private static final int ROUNDS = 3;
    private static final int DEVICES = 10;
    private static final int PUSHES = 100;

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(ArchiveDatabase.Server.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyAcceptedQos1PushIsInTheDatabaseAfterTheApiNodeIsKilled(ArchiveDatabase.Server server)
            throws Exception {
        try (ZooKeeperFixture zooKeeper = new ZooKeeperFixture();
             RedisServerProcess redis = RedisServerProcess.start();
             ArchiveDatabase database = ArchiveDatabase.create(server)) {
            JdbcSettings jdbc = database.settings();
            for (int round = 1; round <= ROUNDS; round++) {
                List<String> devices = new ArrayList<>();
                Set<Long> accepted = ConcurrentHashMap.newKeySet();
                try (HeraldProcess node = HeraldProcess.start(home, apiArguments(zooKeeper, redis, jdbc), UP)) {
                    HttpApi api = new HttpApi(node.upGroup(1));
                    for (int i = 0; i < DEVICES; i++) {
                        devices.add("r" + round + "-device-" + i);
                        api.register(devices.get(i));
                    }
                    List<CompletableFuture<?>> answers = new ArrayList<>();
                    for (int i = 0; i < PUSHES; i++) {
                        answers.add(api.pushAsync("{\"to\":\"" + devices.get(i % DEVICES) + "\",\"payload\":\"p" + i
                                + "\",\"qos\":1}").thenAccept(answer -> {
                                    if (answer.status() == 202 && answer.stored() == 1) {
                                        accepted.add(Long.parseUnsignedLong(answer.messageId()));
                                    }
                                }));
                    }
                    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    node.kill();
                }
                assertThat(accepted).as("pushes answered 202, stored").hasSize(PUSHES);

                Set<Long> stored = new HashSet<>();
                try (Database reader = Database.open(new JdbcSettings(jdbc.jdbcUrl(), jdbc.username(),
                        jdbc.password(), 2))) {
                    JdbcOfflineStore offline = new JdbcOfflineStore(reader);
                    for (String device : devices) {
                        offline.pending(device, System.currentTimeMillis(), 1000).stream()
                                .map(PushMessage::messageId).forEach(stored::add);
                    }
                }
                Set<Long> lost = new HashSet<>(accepted);
                lost.removeAll(stored);
                log.info("{} round {}: {} of {} accepted QoS 1 pushes missing after the SIGKILL", server, round,
                        lost.size(), accepted.size());
                assertThat(lost).as("%s round %d: accepted pushes not in the database", server, round).isEmpty();
            }
        }
    }

    private static List<String> apiArguments(ZooKeeperFixture zooKeeper, RedisServerProcess redis, JdbcSettings jdbc) {
        List<String> args = new ArrayList<>(List.of("api", "--node-number", "1",
                "--bind", "127.0.0.1", "--http-port", "0", "--api-key", NodeSettings.API_KEY,
                "--registrations-per-address", "off",
                "--zookeeper", zooKeeper.settings().connectString(),
                "--zookeeper-session-timeout", zooKeeper.settings().sessionTimeout().toMillis() + "ms",
                "--redis", redis.uri(),
                "--cluster-secret", ClusterServices.CLUSTER_SECRET,
                "--jdbc-url", jdbc.jdbcUrl(), "--jdbc-user", jdbc.username()));
        if (!jdbc.password().isEmpty()) {
            args.addAll(List.of("--jdbc-password", jdbc.password()));
        }
        return args;
    }
}
