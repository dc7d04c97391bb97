package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.it.TestDevices.Device;
import io.herald.protocol.ContentType;
import io.herald.store.jdbc.JdbcSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format json} on a cluster of JVMs (a gateway, an API node, an archiver): every line each writes is
 * one JSON object with an ISO-8601 timestamp (date and zone), level, logger, message and the node's name; one
 * push's trace id (from a W3C traceparent) is found in the API node's and the gateway's logs, and one upstream
 * message's in the gateway's and, carried in the Kafka record's header, the archiver's.
 */
@ExtendWith(KafkaBrokerExtension.class)
class JsonLogTraceTest {
    private static final Pattern API_UP = Pattern.compile("Herald API node \\d+ is up: HTTP \\S+:(\\d+)");
    private static final Pattern ARCHIVER_UP = Pattern.compile("Herald archiver is up");
    private static final List<String> JSON_LOGS = List.of("--log-format", "json", "--log-level", "debug");
    private static final String PUSH_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String UPSTREAM_TRACE = "upstream-trace-7";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void onePushAndOneUpstreamMessageAreFollowedByTheirTraceIdsThroughEveryNodesJsonLog(KafkaTestBroker broker)
            throws Exception {
        ClusterServices services = ClusterServices.start(broker);
        ArchiveDatabase database = ArchiveDatabase.create(ArchiveDatabase.Server.MARIADB);
        List<AutoCloseable> resources = new ArrayList<>(List.of(database, services));
        try {
            JdbcSettings jdbc = database.settings();
            resources.add(0, start("gateway", with(GatewayProcess.arguments("g1", services, jdbc, 0)),
                    GatewayProcess.UP));
            HeraldProcess apiNode = start("api", with(apiArguments(services, jdbc)), API_UP);
            resources.add(0, apiNode);
            resources.add(0, start("archiver", with(archiverArguments(services, jdbc)), ARCHIVER_UP));
            HttpApi api = new HttpApi(apiNode.upGroup(1));
            TestDevices devices = new TestDevices();
            resources.add(0, devices);
            Device device = devices.connect("traced-1", api);

            HttpApi.PushAnswer pushed = api.push("{\"to\":\"traced-1\",\"payload\":\"hello\"}",
                    "00-" + PUSH_TRACE + "-00f067aa0ba902b7-01");
            assertThat(pushed.status()).isEqualTo(202);
            await().atMost(WAIT).until(() -> !device.listener().messages.isEmpty());
            assertThat(device.client().send(ContentType.TEXT, "reading 1".getBytes(StandardCharsets.UTF_8),
                    UPSTREAM_TRACE).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("acked").isNotNull();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(tracedBy(PUSH_TRACE, "api")).as("the API node's lines about the push")
                        .allMatch(line -> line.get("node").asText().equals("api-1")).isNotEmpty();
                assertThat(tracedBy(PUSH_TRACE, "gateway")).as("the gateway's lines about the push")
                        .allMatch(line -> line.get("node").asText().equals("gateway-g1")).isNotEmpty();
                assertThat(tracedBy(UPSTREAM_TRACE, "gateway")).as("the gateway's lines about the upstream message")
                        .allMatch(line -> line.get("clientId").asText().equals("traced-1")).isNotEmpty();
                assertThat(tracedBy(UPSTREAM_TRACE, "archiver")).as("the archiver's line, from the Kafka header")
                        .allMatch(line -> line.get("node").asText().equals("archiver")).isNotEmpty();
            });
            for (String role : List.of("gateway", "api", "archiver")) {
                List<JsonNode> lines = jsonLines(role);
                assertThat(lines).as(role).hasSizeGreaterThan(5);
                for (JsonNode line : lines) {
                    assertThat(OffsetDateTime.parse(line.get("timestamp").asText())).as(role).isNotNull();
                    assertThat(line.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
                    assertThat(line.get("logger").asText()).isNotEmpty();
                    assertThat(line.has("message")).isTrue();
                    assertThat(line.get("node").asText()).isNotEmpty();
                }
            }
        } finally {
            Closing.inOrder(resources.toArray(AutoCloseable[]::new));
        }
    }

    private HeraldProcess start(String role, List<String> args, Pattern upLine) throws IOException {
        Path dir = home.resolve(role);
        Files.createDirectories(dir);
        return HeraldProcess.start(dir, args, upLine);
    }

    private static List<String> with(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(JSON_LOGS);
        return all;
    }

    /** The lines of the role's log carrying the trace id in their MDC field. */
    private List<JsonNode> tracedBy(String traceId, String role) {
        return jsonLines(role).stream().filter(line -> traceId.equals(line.path("traceId").asText(null))).toList();
    }

    /**
     * Every log line of the role's JSON log, from its first: the output also holds what the process wrote before it
     * switched its logging (the test's text configuration) and the "is up" line the role prints to standard output,
     * which are not JSON log lines; any other line after the first JSON one that is not one JSON object fails.
     */
    private List<JsonNode> jsonLines(String role) {
        try {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(home.resolve(role).resolve(role + ".log"), StandardCharsets.UTF_8)) {
                if ((lines.isEmpty() && !line.startsWith("{")) || line.startsWith("Herald ") || line.isBlank()) {
                    continue;
                }
                lines.add(JSON.readTree(line));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> apiArguments(ClusterServices services, JdbcSettings jdbc) {
        List<String> args = new ArrayList<>(List.of("api", "--node-number", "1",
                "--bind", "127.0.0.1", "--http-port", "0", "--api-key", NodeSettings.API_KEY,
                "--registrations-per-address", "off",
                "--zookeeper", services.discovery().connectString(),
                "--zookeeper-session-timeout", services.sessionTimeout().toMillis() + "ms",
                "--redis", services.redis().uri(),
                "--cluster-secret", ClusterServices.CLUSTER_SECRET));
        args.addAll(jdbcArguments(jdbc));
        return args;
    }

    private static List<String> archiverArguments(ClusterServices services, JdbcSettings jdbc) {
        List<String> args = new ArrayList<>(List.of("archiver", "--bind", "127.0.0.1", "--ops-port", "0",
                "--kafka", services.kafka().bootstrapServers(), "--kafka-topic", services.kafka().topic()));
        args.addAll(jdbcArguments(jdbc));
        return args;
    }

    private static List<String> jdbcArguments(JdbcSettings jdbc) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url", jdbc.jdbcUrl(), "--jdbc-user", jdbc.username()));
        if (jdbc.password() != null && !jdbc.password().isEmpty()) {
            args.addAll(List.of("--jdbc-password", jdbc.password()));
        }
        return args;
    }
}
