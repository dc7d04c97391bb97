package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.cluster.testing.CuttableProxy;
import io.herald.it.RawHttp.Answer;
import io.herald.it.TestDevices.Device;
import io.herald.store.jdbc.JdbcSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node reaches MariaDB through a proxy, which is cut and later restored. While the database is unreachable,
 * a QoS 1 push, to an offline device or to an online one (either must be stored first), and a login (credentials are
 * checked in the database) answer 503
 * with Retry-After within the pool's connection timeout (5 s) rather than hanging. Once it is back the same calls
 * succeed, and every push the API accepted, before, during or after, reaches its device exactly once.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class DatabaseOutageTest {
    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageTest.class);
    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");
    /** HikariCP's connection timeout in {@code Database} (5 s) plus the HTTP round trip. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void callsThatNeedTheDatabaseAnswer503WhileItIsUnreachableAndSucceedAfter(KafkaTestBroker broker)
            throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        Matcher target = HOST_PORT.matcher(database.settings().jdbcUrl());
        assertThat(target.find()).as(database.settings().jdbcUrl()).isTrue();
        CuttableProxy proxy = new CuttableProxy(Integer.parseInt(target.group(2)));
        JdbcSettings direct = database.settings();
        JdbcSettings proxied = new JdbcSettings(direct.jdbcUrl().replace(target.group(0),
                "//127.0.0.1:" + proxy.port() + "/"), direct.username(), direct.password(), direct.maxPoolSize());
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        try {
            cluster = TestCluster.start(services, proxied, List.of("gw-db"), List.of(RoutingStrategies.ROUND_ROBIN),
                    false, -1);
            HttpApi api = cluster.api(0);
            Device online = devices.connect("lamp-online", api);
            api.register("lamp-offline");
            List<String> toOnline = new ArrayList<>();
            List<String> toOffline = new ArrayList<>();
            accept(RawHttp.push(api, "lamp-online", "before"), toOnline);
            Answer storedBefore = RawHttp.push(api, "lamp-offline", "before");
            accept(storedBefore, toOffline);
            assertThat(storedBefore.body()).contains("\"stored\":1");

            proxy.cut();
            long cut = System.nanoTime();
            Answer pushOffline = RawHttp.push(api, "lamp-offline", "during");
            Answer login = RawHttp.login(api, "lamp-online");
            Answer pushOnline = RawHttp.push(api, "lamp-online", "during");
            log.info("database unreachable: push to an offline device answered {}; login answered {}; push to an"
                    + " online device answered {}", pushOffline, login, pushOnline);
            assertThat(pushOffline.unavailable()).as("push to an offline device: " + pushOffline).isTrue();
            assertThat(pushOffline.took()).isLessThan(ANSWER_BOUND);
            assertThat(login.unavailable()).as("login: " + login).isTrue();
            assertThat(login.took()).isLessThan(ANSWER_BOUND);
            assertThat(pushOnline.unavailable()).as("QoS 1 push to an online device: " + pushOnline).isTrue();
            assertThat(pushOnline.took()).isLessThan(ANSWER_BOUND);

            proxy.restore();
            long restored = System.nanoTime();
            HttpApi running = api;
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                Answer answer = RawHttp.push(running, "lamp-offline", "after");
                if (answer.ok()) {
                    toOffline.add(answer.messageId());
                }
                return answer.ok();
            });
            Duration recovered = Duration.ofNanos(System.nanoTime() - restored);
            Answer loginAfter = RawHttp.login(api, "lamp-online");
            assertThat(loginAfter.status()).as("login after recovery: " + loginAfter).isEqualTo(200);
            accept(RawHttp.push(api, "lamp-online", "after"), toOnline);
            log.info("database cut for {} ms; pushes to offline devices accepted again {} ms after the proxy was"
                    + " restored", Duration.ofNanos(restored - cut).toMillis(), recovered.toMillis());

            Device offline = devices.connect("lamp-offline", api);
            for (String id : toOnline) {
                await().atMost(WAIT).until(() -> online.listener().countOf(id) >= 1);
            }
            for (String id : toOffline) {
                await().atMost(WAIT).until(() -> offline.listener().countOf(id) >= 1);
            }
            Thread.sleep(500); // a late duplicate would show now
            for (String id : toOnline) {
                assertThat(online.listener().countOf(id)).as("copies of " + id).isEqualTo(1);
            }
            for (String id : toOffline) {
                assertThat(offline.listener().countOf(id)).as("copies of " + id).isEqualTo(1);
            }
            log.info("{} accepted pushes to the online and {} to the offline device, each delivered once",
                    toOnline.size(), toOffline.size());
        } finally {
            Closing.inOrder(devices, cluster, proxy, database, services);
        }
    }

    private static void accept(Answer answer, List<String> ids) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        ids.add(answer.messageId());
    }
}
