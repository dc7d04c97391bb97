package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.server.cluster.ArchiverNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every cluster role's /metrics (gateway and archiver on their ops port, API node on its HTTP port) gives each family
 * a HELP text and reports process CPU in seconds; every role answers both health probes (issue 9). Standalone's page:
 * herald-server's MetricsExpositionTest.
 */
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class ClusterMetricsHelpTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRolesMetricsHaveHelpAndCpuSeconds(KafkaTestBroker broker) throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        TestCluster cluster = null;
        ArchiverNode archiver = null;
        try {
            cluster = TestCluster.start(services, database.settings(), List.of("gw-m1"),
                    List.of(RoutingStrategies.ROUND_ROBIN), false, 0);
            archiver = ArchiverNode.start(new ArchiverNode.Settings(services.kafka(),
                    NodeSettings.smallPool(database.settings()), "127.0.0.1", 0));
            int[] ports = {cluster.gateway("gw-m1").opsPort(), cluster.apiNode(0).httpPort(), archiver.opsPort()};
            for (int port : ports) {
                String page = get(port, "/metrics").body();
                assertThat(familiesWithoutHelp(page)).as("families without HELP on port %d", port).isEmpty();
                assertThat(page).containsPattern("(?m)^process_cpu_seconds_total\\{.*} \\d")
                        .doesNotContain("process_cpu_time_ns");
                assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
                assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
            }
        } finally {
            Closing.inOrder(archiver, cluster, database, services);
        }
    }

    private static List<String> familiesWithoutHelp(String page) {
        List<String> empty = new ArrayList<>();
        Matcher help = Pattern.compile("(?m)^# HELP (\\S+)(.*)$").matcher(page);
        int families = 0;
        while (help.find()) {
            families++;
            if (help.group(2).isBlank()) {
                empty.add(help.group(1));
            }
        }
        assertThat(families).isGreaterThan(10);
        return empty;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
