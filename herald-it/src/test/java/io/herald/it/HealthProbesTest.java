package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.redis.RedisFaults;
import io.herald.cluster.routing.RoutingStrategies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Liveness apart from readiness (issue 9): with Redis down, a gateway's and an API node's {@code /health/ready}
 * (and {@code /health}, the same answer) say 503, so a load balancer routes around them, while {@code /health/live}
 * stays 200, so nothing restarts them; when Redis is back they are ready again.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class HealthProbesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRedisOutageMakesNodesUnreadyButNotDead(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = null;
        try {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-h1"),
                    List.of(RoutingStrategies.ROUND_ROBIN), false, 0);
            int gatewayOps = cluster.gateway("gw-h1").opsPort();
            int api = cluster.apiNode(0).httpPort();
            for (int port : new int[] {gatewayOps, api}) {
                assertThat(status(port, "/health/live")).isEqualTo(200);
                assertThat(status(port, "/health/ready")).isEqualTo(200);
                assertThat(status(port, "/health")).isEqualTo(200);
            }
            assertThat(body(gatewayOps, "/health/live")).contains("\"event-loops\":\"UP\"");
            assertThat(body(gatewayOps, "/health/ready")).contains("\"redis\"").contains("\"database\"");

            RedisFaults.kill(services.redisServer());
            for (int port : new int[] {gatewayOps, api}) {
                await().atMost(WAIT).until(() -> status(port, "/health/ready") == 503);
                assertThat(status(port, "/health")).isEqualTo(503);
                assertThat(status(port, "/health/live")).isEqualTo(200);
            }
            assertThat(body(gatewayOps, "/health/ready")).contains("\"redis\":\"DOWN\"");

            RedisFaults.start(services.redisServer());
            for (int port : new int[] {gatewayOps, api}) {
                await().atMost(WAIT).until(() -> status(port, "/health/ready") == 200);
            }
        } finally {
            Closing.inOrder(cluster, database, services);
        }
    }

    private static int status(int port, String path) throws Exception {
        return get(port, path).statusCode();
    }

    private static String body(int port, String path) throws Exception {
        return get(port, path).body();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
