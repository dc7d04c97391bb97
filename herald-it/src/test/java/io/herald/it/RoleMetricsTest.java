package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.api.ApiSettings;
import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.gateway.GatewaySettings;
import io.herald.it.TestDevices.Device;
import io.herald.server.cluster.ArchiverNode;
import io.herald.server.standalone.StandaloneNode;
import io.herald.store.jdbc.JdbcSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Prometheus scrapes from each role (gateway and archiver on their ops port, API node and standalone on their
 * HTTP port), after a device was pushed to and sent an upstream message: every family keeps to Prometheus' conventions
 * ({@link PrometheusConventions}), each role has its client figures (Redis, Kafka, link, pool, HTTP, offline store),
 * every role answers both health probes, and every metric the alert rules and the Grafana dashboard in deploy/ use is
 * on one of the pages (a renamed meter would otherwise leave an alert that can never fire).
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class RoleMetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Families each role must publish (Prometheus spelling), beyond the JVM's. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "gateway", List.of("herald_connections", "lettuce_command_completion_seconds",
                    "herald_redis_command_errors_total", "kafka_producer_record_send_total",
                    "hikaricp_connections_active", "hikaricp_connections_acquire_seconds",
                    "herald_http_server_requests_total", "herald_netty_direct_memory_max_bytes", "jvm_gc_pause_seconds"),
            "api", List.of("herald_link_request_duration_seconds", "herald_link_reconnects_total",
                    "herald_link_gateways", "lettuce_command_completion_seconds", "hikaricp_connections_pending",
                    "herald_offline_store_messages", "herald_http_server_total_duration_seconds",
                    "herald_push_latency_seconds"),
            "archiver", List.of("kafka_consumer_fetch_manager_records_lag_max", "herald_archiver_lag_records",
                    "kafka_consumer_fetch_manager_records_consumed_total", "hikaricp_connections_active"),
            "standalone", List.of("herald_connections", "hikaricp_connections_active",
                    "herald_offline_store_messages", "herald_http_server_total_duration_seconds"));

    @TempDir
    Path standaloneData;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyRolesPageKeepsTheConventionsAndHasWhatDeployUses(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = null;
        ArchiverNode archiver = null;
        StandaloneNode standalone = null;
        try (TestDevices devices = new TestDevices()) {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-m1"),
                    List.of(RoutingStrategies.ROUND_ROBIN), false, 0);
            archiver = ArchiverNode.start(new ArchiverNode.Settings(services.kafka(),
                    NodeSettings.smallPool(database.settings()), "127.0.0.1", 0));
            standalone = StandaloneNode.start(new StandaloneNode.Settings(
                    GatewaySettings.defaults("standalone").withPorts("127.0.0.1", 0, -1),
                    ApiSettings.of(NodeSettings.API_KEY).withPort(0).withBindAddress("127.0.0.1"),
                    JdbcSettings.h2File(standaloneData), null, Duration.ofHours(1), 1000, 1, Map.of()));
            int archiverPort = archiver.opsPort();
            HttpApi api = new HttpApi(cluster.apiNode(0).httpPort());

            // Traffic through every client: a login (HTTP, Redis), a push (link, store), an upstream message
            // (Kafka producer, archiver's consumer).
            Device device = devices.connect("metered-1", api);
            assertThat(api.push("{\"to\":\"metered-1\",\"payload\":\"m\",\"qos\":1}").status()).isEqualTo(202);
            await().atMost(WAIT).until(() -> device.listener().texts().contains("m"));
            device.client().sendText("reading").get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> Metrics.sum(archiverPort, "herald_archiver_archived_messages_total") >= 1);
            new HttpApi(standalone.httpPort()).push("{\"to\":\"nobody\",\"payload\":\"m\"}");

            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("gateway", cluster.gateway("gw-m1").opsPort());
            ports.put("api", cluster.apiNode(0).httpPort());
            ports.put("archiver", archiverPort);
            ports.put("standalone", standalone.httpPort());
            Set<String> scraped = new TreeSet<>(Set.of("up")); // "up" is Prometheus' own, per target
            Path pages = Files.createDirectories(Path.of("target", "metrics-pages"));
            SoftAssertions softly = new SoftAssertions();
            for (Map.Entry<String, Integer> role : ports.entrySet()) {
                // The probes first: the ops port's HTTP figures then have requests to show.
                softly.assertThat(get(role.getValue(), "/health/live").statusCode()).isEqualTo(200);
                softly.assertThat(get(role.getValue(), "/health/ready").statusCode()).isEqualTo(200);
                String text = get(role.getValue(), "/metrics").body();
                Files.writeString(pages.resolve(role.getKey() + ".txt"), text); // to read when an assertion fails
                PrometheusPage page = new PrometheusPage(text);
                softly.assertThat(PrometheusConventions.violations(page)).as("%s's /metrics", role.getKey()).isEmpty();
                softly.assertThat(page.families().keySet()).as("%s's families", role.getKey())
                        .containsAll(EXPECTED.get(role.getKey()))
                        .contains("process_cpu_seconds_total", "jvm_memory_used_bytes");
                scraped.addAll(page.sampleNames());
            }

            List<String> unknown = new ArrayList<>();
            for (String expression : allDeployExpressions()) {
                for (String name : MonitoringFiles.metricNames(expression)) {
                    if (!scraped.contains(name)) {
                        unknown.add(name + " in: " + expression);
                    }
                }
            }
            softly.assertThat(unknown).as("metrics used in %s or %s that no role publishes", MonitoringFiles.RULES,
                    MonitoringFiles.DASHBOARD).isEmpty();
            softly.assertAll();
        } finally {
            Closing.inOrder(standalone, archiver, cluster, database, services);
        }
    }

    private static List<String> allDeployExpressions() {
        List<String> expressions = new ArrayList<>(MonitoringFiles.ruleExpressions());
        expressions.addAll(MonitoringFiles.dashboardExpressions());
        assertThat(expressions).hasSizeGreaterThan(20).allSatisfy(expression -> assertThat(expression).isNotBlank());
        return expressions;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
