package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.bench.server.MosquittoProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT scenarios at smoke size (20 devices): each starts its own Mosquitto broker and Herald server with
 * {@code --mqtt-port}, drives both with the same MQTT devices, and writes a report in which both sides ran, every
 * device came online on each, and no QoS 1 message was lost. No timing assertions: these are benchmarks.
 */
class MqttScenarioSmokeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 20;
    private static final String SMOKE_JVM_ARGS = "-Xmx512m -XX:TieredStopAtLevel=1";
    private static final Path SERVER_JAR = Path.of(System.getProperty("herald.jar", "../herald-server/target/herald.jar"));

    @TempDir
    Path results;

    @BeforeAll
    static void mosquittoInstalled() {
        // scripts/test-setup.sh installs it; CI has it. Elsewhere say why the test did not run.
        assumeThat(Files.isExecutable(MosquittoProcess.BROKER)).as(MosquittoProcess.BROKER + " installed").isTrue();
    }

    @Test
    void connectAndHoldOnBothSides() throws IOException {
        JsonNode connect = onlyRun(run("mqtt-connect"));
        assertThat(connect.path("baseline").path("online").asInt()).isEqualTo(DEVICES);
        assertThat(connect.path("herald").path("online").asInt()).isEqualTo(DEVICES);
        assertThat(connect.path("herald").path("latencyMs").path("count").asLong()).isEqualTo(DEVICES);
        assertThat(connect.path("ratioToBaseline").has("connectsPerSecond")).isTrue();

        JsonNode hold = onlyRun(run("mqtt-hold", "--hold", "1s"));
        assertThat(hold.path("baseline").path("minOnlineWhileHolding").asInt()).isEqualTo(DEVICES);
        assertThat(hold.path("herald").path("minOnlineWhileHolding").asInt()).isEqualTo(DEVICES);
        assertThat(hold.path("herald").has("heapPerConnectionBytes")).isTrue();
        assertThat(hold.path("baseline").has("heapPerConnectionBytes")).isFalse();
    }

    @Test
    void p2pLosesNoQos1MessageOnEitherSide() throws IOException {
        JsonNode report = run("mqtt-p2p", "--qos", "1", "--rate", "200", "--duration", "1s", "--warmup", "0s",
                "--max-in-flight", "64", "--drain", "3s");
        assertThat(report.path("runs")).hasSize(2);
        for (JsonNode run : report.path("runs")) {
            for (String side : List.of("herald", "baseline")) {
                JsonNode figures = run.path(side);
                assertThat(figures.path("accepted").asLong()).as(side + " " + run.path("name")).isPositive();
                assertThat(figures.path("delivered").asLong()).isEqualTo(figures.path("accepted").asLong());
                assertThat(figures.path("lost").asLong()).isZero();
                assertThat(figures.path("failedPushes").asLong()).isZero();
            }
        }
    }

    @Test
    void fanOutReachesEveryDeviceOnBothSides() throws IOException {
        JsonNode run = onlyRun(run("mqtt-fanout", "--rounds", "2", "--warmup-rounds", "1", "--qos", "1",
                "--pause", "100ms"));
        for (String side : List.of("herald", "baseline")) {
            JsonNode figures = run.path(side);
            assertThat(figures.path("expected").asLong()).as(side).isEqualTo(2L * DEVICES);
            assertThat(figures.path("delivered").asLong()).as(side).isEqualTo(2L * DEVICES);
            assertThat(figures.path("roundsComplete").asInt()).as(side).isEqualTo(2);
        }
    }

    private JsonNode run(String scenario, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(scenario, "--devices", Integer.toString(DEVICES),
                "--results-dir", results.toString(), "--time-limit", "60s", "--server-jar", SERVER_JAR.toString(),
                "--server-jvm-args", SMOKE_JVM_ARGS, "--connect-timeout", "20s"));
        args.addAll(List.of(options));
        assertThat(BenchMain.commandLine().execute(args.toArray(new String[0]))).as(scenario + " exit code").isZero();
        JsonNode report = JSON.readTree(results.resolve("latest-" + scenario + ".json").toFile());
        assertThat(report.path("server").path("baseline").asText()).contains("mosquitto");
        assertThat(report.path("notes").toString()).contains("Mosquitto", "HTTP API");
        return report;
    }

    private static JsonNode onlyRun(JsonNode report) {
        assertThat(report.path("runs")).hasSize(1);
        return report.path("runs").get(0);
    }
}
