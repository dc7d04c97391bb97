package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.redis.RedisFaults;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.it.RawHttp.Answer;
import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's redis-server crashes (SIGKILL) and comes back empty. While it is down, logins and pushes answer
 * 503 with Retry-After after Redis' command timeout rather than hanging; the devices stay connected to their gateways. When it is
 * back, the gateways publish their sessions again, so pushes reach the still-connected devices online, and every
 * push the API accepted arrives exactly once.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class RedisRestartTest {
    private static final Logger log = LoggerFactory.getLogger(RedisRestartTest.class);
    private static final int DEVICES = 4;
    /** Redis' command timeout (3 s) plus the HTTP round trip. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void pushesReachConnectedDevicesAgainAfterRedisComesBackEmpty(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = null;
        TestDevices devices = new TestDevices();
        try {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-r1", "gw-r2"),
                    List.of(RoutingStrategies.ROUND_ROBIN), false, -1);
            HttpApi api = cluster.api(0);
            List<Device> fleet = devices.connectAll(IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "meter-" + i)
                    .toList(), api);
            Map<Device, List<String>> accepted = new ConcurrentHashMap<>();
            for (Device device : fleet) {
                Answer answer = RawHttp.push(api, device.clientId(), "before");
                assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
                assertThat(answer.online()).as(answer.toString()).isEqualTo(1);
                accepted.computeIfAbsent(device, d -> new ArrayList<>()).add(answer.messageId());
            }

            RedisFaults.kill(services.redisServer());
            long killed = System.nanoTime();
            Answer login = RawHttp.login(api, "meter-1");
            Answer push = RawHttp.push(api, fleet.get(0).clientId(), "during");
            log.info("Redis down: login answered {}; push answered {}", login, push);
            assertThat(login.unavailable()).as("login without Redis: " + login).isTrue();
            assertThat(login.took()).isLessThan(ANSWER_BOUND);
            assertThat(push.unavailable()).as("push without Redis: " + push).isTrue();
            assertThat(push.took()).isLessThan(ANSWER_BOUND);

            RedisFaults.start(services.redisServer());
            long restarted = System.nanoTime();
            log.info("redis-server down for {} ms, back empty", Duration.ofNanos(restarted - killed).toMillis());

            // The gateways re-publish their sessions when their connections come back: a push finds each device.
            HttpApi running = api;
            for (Device device : fleet) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Answer answer = RawHttp.push(running, device.clientId(), "after");
                    if (answer.ok()) {
                        accepted.get(device).add(answer.messageId());
                    }
                    return answer.ok() && answer.online() == 1;
                });
            }
            log.info("pushes reach all {} devices online again {} ms after redis-server restarted", DEVICES,
                    Duration.ofNanos(System.nanoTime() - restarted).toMillis());

            Answer loginAfter = RawHttp.login(api, "meter-1");
            assertThat(loginAfter.status()).as("login after recovery: " + loginAfter).isEqualTo(200);

            for (Device device : fleet) {
                assertThat(device.listener().disconnects).as(device.clientId() + " disconnects").hasValue(0);
                for (String id : accepted.get(device)) {
                    await().atMost(WAIT).until(() -> device.listener().countOf(id) == 1);
                }
            }
            int total = accepted.values().stream().mapToInt(List::size).sum();
            Thread.sleep(500); // a late duplicate would show now
            for (Device device : fleet) {
                for (String id : accepted.get(device)) {
                    assertThat(device.listener().countOf(id)).as(device.clientId() + " copies of " + id)
                            .isEqualTo(1);
                }
            }
            log.info("{} accepted pushes (incl. retries while sessions were republished), each delivered once",
                    total);
        } finally {
            Closing.inOrder(devices, cluster, database, services);
        }
    }
}
