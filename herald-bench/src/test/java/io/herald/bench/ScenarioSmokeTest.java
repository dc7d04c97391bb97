package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.herald.bench.server.HeraldServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario at smoke size (50 devices, a second or two): the command finishes, writes its report to the
 * temporary results directory, and the report is internally consistent. No timing assertions: these are
 * benchmarks, and this machine's speed is not what is tested.
 *
 * <p>To keep the suite short, one Herald server process is started for the class and the scenarios target it with
 * {@code --api}, as they would a running deployment; reconnect-storm starts (and restarts) its own, which covers
 * the started-server path.
 */
class ScenarioSmokeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fast start-up matters more than peak speed at smoke size. */
    private static final String SMOKE_JVM_ARGS = "-Xmx512m -XX:TieredStopAtLevel=1";
    private static final Path SERVER_JAR = Path.of(System.getProperty("herald.jar", "../herald-server/target/herald.jar"));

    @TempDir
    static Path serverDir;
    private static HeraldServerProcess server;

    @TempDir
    Path results;

    @BeforeAll
    static void startServer() {
        server = HeraldServerProcess.start(new HeraldServerProcess.Options(SERVER_JAR, List.of(SMOKE_JVM_ARGS.split(" ")),
                Duration.ofSeconds(30), 0, serverDir, false, false));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connect() throws IOException {
        JsonNode run = onlyRun(bench("connect", "--devices", "50"));
        assertThat(run.path("herald").path("online").asInt()).isEqualTo(50);
        assertPercentilesOrdered(run.path("herald").path("latencyMs"));
    }

    @Test
    void connectOverTwoWorkerProcesses() throws IOException {
        JsonNode report = bench("connect", "--devices", "60", "--processes", "2");
        JsonNode herald = onlyRun(report).path("herald");
        assertThat(herald.path("devices").asInt()).isEqualTo(60);
        assertThat(herald.path("online").asInt()).isEqualTo(60);
        // Both workers' histograms merged: one login-to-AUTH_OK sample per device.
        assertThat(herald.path("latencyMs").path("count").asLong()).isEqualTo(60);
        assertPercentilesOrdered(herald.path("latencyMs"));
        assertThat(report.path("options").path("--processes").asText()).isEqualTo("2");
        assertThat(report.path("notes").toString()).contains("2 worker processes");
    }

    @Test
    void hold() throws IOException {
        JsonNode run = onlyRun(bench("hold", "--devices", "50", "--hold", "2s", "--server-pid", Long.toString(server.pid())));
        JsonNode herald = run.path("herald");
        assertThat(herald.path("online").asInt()).isEqualTo(50);
        assertThat(herald.has("heapPerConnectionBytes")).isTrue();
        assertThat(herald.path("server").path("connectedAfterGc").path("rssBytes").asLong()).isPositive();
        assertThat(herald.path("serverCpuCores").asDouble()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void broadcastWithBaseline() throws IOException {
        JsonNode report = bench("broadcast", "--devices", "50", "--rounds", "3", "--pause", "100ms");
        JsonNode run = onlyRun(report);
        for (String system : List.of("herald", "baseline")) {
            JsonNode figures = run.path(system);
            assertThat(figures.path("rounds").asInt()).as(system).isEqualTo(3);
            assertThat(figures.path("delivered").asLong()).as(system).isLessThanOrEqualTo(figures.path("expected").asLong());
            assertPercentilesOrdered(figures.path("latencyMs"));
        }
        assertThat(run.path("ratioToBaseline").has("deliveriesPerSecond")).isTrue();
    }

    @Test
    void p2pWithBaselineLosesNoQos1Message() throws IOException {
        JsonNode report = bench("p2p", "--devices", "50", "--rate", "200", "--duration", "1s", "--drain", "3s");
        assertThat(report.path("runs")).hasSize(4);
        for (JsonNode run : report.path("runs")) {
            for (String system : List.of("herald", "baseline")) {
                JsonNode figures = run.path(system);
                assertThat(figures.path("delivered").asLong()).as(system)
                        .isLessThanOrEqualTo(figures.path("accepted").asLong());
                if (figures.path("qos").asInt() == 1) {
                    assertThat(figures.path("lost").asLong()).as(system + " " + run.path("name")).isZero();
                }
                assertPercentilesOrdered(figures.path("latencyMs"));
            }
        }
    }

    /** {@code --batch}: every message of a batch request, each to its own device, is delivered and counted. */
    @Test
    void p2pInBatchesLosesNoQos1Message() throws IOException {
        JsonNode report = bench("p2p", "--devices", "50", "--qos", "1", "--rate", "400", "--batch", "10",
                "--duration", "1s", "--drain", "3s");
        for (JsonNode run : report.path("runs")) {
            JsonNode herald = run.path("herald");
            assertThat(herald.path("messagesPerRequest").asInt()).isEqualTo(10);
            assertThat(herald.path("pushes").asLong()).isEqualTo(10 * herald.path("requests").asLong());
            assertThat(herald.path("accepted").asLong()).as(run.path("name").asText()).isPositive();
            assertThat(herald.path("lost").asLong()).as(run.path("name").asText()).isZero();
            assertThat(run.path("baseline").path("lost").asLong()).isZero();
        }
    }

    @Test
    void upstream() throws IOException {
        JsonNode herald = onlyRun(bench("upstream", "--devices", "50", "--rate", "200", "--duration", "1s")).path("herald");
        assertThat(herald.path("acked").asLong()).isLessThanOrEqualTo(herald.path("sent").asLong());
        assertThat(herald.path("acked").asLong()).isPositive();
        assertPercentilesOrdered(herald.path("latencyMs"));
    }

    @Test
    void reconnectStormLosesNoQos1Message() throws IOException {
        JsonNode herald = onlyRun(benchOwnServer("reconnect-storm", "--devices", "50", "--messages", "50",
                "--push-rate", "100")).path("herald");
        assertThat(herald.path("backOnline").asInt()).isEqualTo(50);
        assertThat(herald.path("qos1Lost").asLong()).isZero();
        assertThat(herald.path("qos1Delivered").asLong()).isLessThanOrEqualTo(herald.path("qos1Accepted").asLong());
    }

    @Test
    void baselinesRunAlone() throws IOException {
        JsonNode broadcast = onlyRun(bench("baseline-broadcast", "--devices", "50", "--rounds", "2", "--pause", "100ms"));
        assertThat(broadcast.path("herald").isNull()).isTrue();
        assertThat(broadcast.path("baseline").path("delivered").asLong()).isEqualTo(100);
        JsonNode p2p = bench("baseline-p2p", "--devices", "50", "--qos", "1", "--rate", "200", "--no-max-rate-run",
                "--duration", "1s");
        assertThat(onlyRun(p2p).path("baseline").path("lost").asLong()).isZero();
    }

    @Test
    void chartsAreDrawnFromTheReports(@TempDir Path charts) throws IOException {
        bench("baseline-broadcast", "--devices", "20", "--rounds", "2", "--pause", "100ms");
        int exit = BenchMain.commandLine().execute("chart", "--results-dir", results.toString(), "--out", charts.toString());
        assertThat(exit).isZero();
        assertThat(charts.resolve("baseline-broadcast.png")).isNotEmptyFile();
    }

    /** Runs a scenario at smoke size against the shared server, and returns the JSON it wrote. */
    private JsonNode bench(String scenario, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("--api", server.apiUri().toString(), "--api-key", server.apiKey()));
        args.addAll(List.of(options));
        return run(scenario, args);
    }

    /** Runs a scenario at smoke size with a server process of its own. */
    private JsonNode benchOwnServer(String scenario, String... options) throws IOException {
        return run(scenario, List.of(options));
    }

    private JsonNode run(String scenario, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of(scenario, "--results-dir", results.toString(), "--time-limit", "60s",
                "--server-jar", SERVER_JAR.toString(), "--server-jvm-args", SMOKE_JVM_ARGS));
        args.addAll(options);
        assertThat(BenchMain.commandLine().execute(args.toArray(new String[0]))).as(scenario + " exit code").isZero();
        Path latest = results.resolve("latest-" + scenario + ".json");
        assertThat(latest).isRegularFile();
        try (Stream<Path> files = Files.list(results)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(scenario + "-2"))).hasSize(1);
        }
        JsonNode report = JSON.readTree(latest.toFile());
        assertThat(report.path("scenario").asText()).isEqualTo(scenario);
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("options").isObject()).isTrue();
        return report;
    }

    private static JsonNode onlyRun(JsonNode report) {
        assertThat(report.path("runs")).hasSize(1);
        return report.path("runs").get(0);
    }

    private static void assertPercentilesOrdered(JsonNode latency) {
        double p50 = latency.path("p50").asDouble();
        double p90 = latency.path("p90").asDouble();
        double p99 = latency.path("p99").asDouble();
        double p999 = latency.path("p999").asDouble();
        double max = latency.path("max").asDouble();
        assertThat(p50).isLessThanOrEqualTo(p90);
        assertThat(p90).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo(max);
    }
}
