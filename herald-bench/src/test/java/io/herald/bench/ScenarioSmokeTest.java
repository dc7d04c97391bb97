package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.herald.bench.http.HeraldApi;
import io.herald.bench.server.HeraldServerProcess;
import io.herald.bench.server.ServerProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * the started-server path. Each scenario also runs with {@code --processes 2}: its devices in two worker processes,
 * whose merged figures must add up exactly (every receipt counted once, histograms holding one sample per receipt).
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

    /** {@code --warmup-devices}: other devices connect and leave first; only the measured fleet is counted. */
    @Test
    void connectAfterAWarmUp() throws IOException {
        JsonNode report = bench("connect", "--devices", "30", "--warmup-devices", "20");
        JsonNode herald = onlyRun(report).path("herald");
        assertThat(herald.path("online").asInt()).isEqualTo(30);
        assertThat(herald.path("latencyMs").path("count").asLong()).isEqualTo(30);
        assertThat(report.path("notes").toString()).contains("warm-up: 20 of 20 other devices");
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
    void broadcastOverTwoWorkerProcesses() throws IOException {
        // Herald only: the p2p test covers the baseline's devices in workers.
        JsonNode report = bench("broadcast", "--devices", "40", "--rounds", "3", "--qos", "1", "--pause", "100ms",
                "--warmup-rounds", "1", "--no-baseline", "--processes", "2");
        assertThat(report.path("notes").toString()).contains("2 worker processes");
        JsonNode run = onlyRun(report);
        for (String system : List.of("herald")) {
            JsonNode figures = run.path(system);
            // Every device of both workers had every round once: counts summed, one merged latency sample each.
            assertThat(figures.path("expected").asLong()).as(system).isEqualTo(120);
            assertThat(figures.path("delivered").asLong()).as(system).isEqualTo(120);
            assertThat(figures.path("duplicates").asLong()).as(system).isZero();
            assertThat(figures.path("roundsComplete").asInt()).as(system).isEqualTo(3);
            assertThat(figures.path("latencyMs").path("count").asLong()).as(system).isEqualTo(120);
            assertThat(figures.path("roundTo100PercentMs").asDouble()).as(system)
                    .isGreaterThanOrEqualTo(figures.path("roundTo99PercentMs").asDouble());
            assertPercentilesOrdered(figures.path("latencyMs"));
        }
    }

    @Test
    void p2pOverTwoWorkerProcessesLosesNoQos1Message() throws IOException {
        JsonNode report = bench("p2p", "--devices", "40", "--qos", "1", "--rate", "300", "--no-max-rate-run",
                "--batch", "4", "--duration", "1s", "--warmup", "0s", "--drain", "3s", "--processes", "2");
        for (String system : List.of("herald", "baseline")) {
            JsonNode figures = onlyRun(report).path(system);
            assertThat(figures.path("accepted").asLong()).as(system).isPositive();
            assertThat(figures.path("delivered").asLong()).as(system).isEqualTo(figures.path("accepted").asLong());
            assertThat(figures.path("lost").asLong()).as(system).isZero();
            assertThat(figures.path("duplicates").asLong()).as(system).isZero();
            // One latency sample per distinct message, whichever worker's device received it.
            assertThat(figures.path("latencyMs").path("count").asLong()).as(system)
                    .isEqualTo(figures.path("delivered").asLong());
        }
    }

    @Test
    void upstreamOverTwoWorkerProcesses() throws IOException {
        JsonNode herald = onlyRun(bench("upstream", "--devices", "40", "--rate", "300", "--duration", "1s",
                "--processes", "2")).path("herald");
        assertThat(herald.path("sent").asLong()).isBetween(200L, 300L);
        assertThat(herald.path("acked").asLong()).isEqualTo(herald.path("sent").asLong());
        assertThat(herald.path("unacked").asLong()).isZero();
        assertThat(herald.path("latencyMs").path("count").asLong()).isEqualTo(herald.path("acked").asLong());
    }

    @Test
    void reconnectStormOverTwoWorkerProcessesLosesNoQos1Message() throws IOException {
        JsonNode herald = onlyRun(benchOwnServer("reconnect-storm", "--devices", "40", "--messages", "40",
                "--push-rate", "100", "--processes", "2")).path("herald");
        assertThat(herald.path("backOnline").asInt()).isEqualTo(40);
        assertThat(herald.path("allBackAfterDropSeconds").isNumber()).isTrue();
        // Every device of both workers dropped once and came back: one drop-to-online sample each, merged.
        assertThat(herald.path("dropToOnlineMs").path("count").asLong()).isGreaterThanOrEqualTo(40);
        assertThat(herald.path("qos1Accepted").asLong()).isEqualTo(40);
        assertThat(herald.path("qos1Delivered").asLong()).isEqualTo(40);
        assertThat(herald.path("qos1Lost").asLong()).isZero();
        assertThat(herald.path("qos1Duplicates").asLong()).isZero();
    }

    /** A worker that dies mid-run takes its devices' receipts with it: the run must fail, not report them as sent. */
    @Test
    void aWorkerKilledMidRunFailsTheRun() throws Exception {
        Thread killer = new Thread(() -> {
            try (HeraldApi api = new HeraldApi(server.apiUri(), server.apiKey())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (System.nanoTime() < deadline) {
                    List<ProcessHandle> workers = benchWorkers();
                    // Once all 40 devices are connected, the pushes start: one second into them, a worker dies.
                    if (workers.size() == 2 && ServerProbe.take(api, -1, false).connections() >= 40) {
                        sleep(1_000);
                        workers.get(1).destroyForcibly();
                        return;
                    }
                    sleep(50);
                }
            }
        });
        killer.start();
        List<String> args = new ArrayList<>(List.of("p2p", "--results-dir", results.toString(), "--time-limit", "60s",
                "--api", server.apiUri().toString(), "--api-key", server.apiKey(), "--devices", "40", "--qos", "1",
                "--rate", "200", "--no-max-rate-run", "--duration", "4s", "--warmup", "0s", "--no-baseline",
                "--processes", "2"));
        int exit = BenchMain.commandLine().execute(args.toArray(new String[0]));
        killer.join();
        assertThat(exit).isNotZero();
        assertThat(results.resolve("latest-p2p.json")).doesNotExist();
        // The pool kills the surviving worker as the failed run closes it; the kernel may take a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!benchWorkers().isEmpty() && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertThat(benchWorkers()).isEmpty();
    }

    @Test
    void hold() throws IOException {
        JsonNode run = onlyRun(bench("hold", "--devices", "50", "--hold", "2s", "--server-pid", Long.toString(server.pid())));
        JsonNode herald = run.path("herald");
        assertThat(herald.path("online").asInt()).isEqualTo(50);
        assertThat(herald.has("heapPerConnectionBytes")).isTrue();
        assertThat(herald.path("server").path("connectedAfterGc").path("rssBytes").asLong()).isPositive();
        assertThat(herald.path("serverCpuCores").asDouble()).isGreaterThanOrEqualTo(0);
        // measured once every device has gone: gross = what they left behind + what the connections held
        assertThat(herald.path("server").path("disconnectedAfterGc").path("connections").asLong()).isZero();
        assertThat(herald.path("heapKeptAfterDisconnectPerDeviceBytes").asLong()
                + herald.path("heapPerConnectionNetBytes").asLong())
                .isCloseTo(herald.path("heapPerConnectionBytes").asLong(), within(1L));
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
    void tagReachesEveryTaggedDeviceAgainstTheBaselinesBroadcast() throws IOException {
        JsonNode run = onlyRun(bench("tag", "--devices", "40", "--rounds", "3", "--pause", "100ms",
                "--warmup-rounds", "1"));
        JsonNode herald = run.path("herald");
        assertThat(herald.path("acceptedOnline").asInt()).isEqualTo(40);
        assertThat(herald.path("expected").asLong()).isEqualTo(120);
        assertThat(herald.path("delivered").asLong()).isEqualTo(120);
        assertThat(herald.path("roundsComplete").asInt()).isEqualTo(3);
        assertPercentilesOrdered(herald.path("latencyMs"));
        assertThat(run.path("baseline").path("rounds").asInt()).isEqualTo(3);
        assertThat(run.path("ratioToBaseline").has("deliveriesPerSecond")).isTrue();
    }

    @Test
    void p2pWithBaselineLosesNoQos1Message() throws IOException {
        // A warm-up of 1 s instead of the default 3 s: it still runs on both systems before the measured runs.
        JsonNode report = bench("p2p", "--devices", "50", "--rate", "200", "--duration", "1s", "--warmup", "1s",
                "--drain", "3s");
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
                "--duration", "1s", "--warmup", "1s", "--drain", "3s");
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
        JsonNode herald = onlyRun(bench("upstream", "--devices", "50", "--rate", "200", "--duration", "1s",
                "--server-pid", Long.toString(server.pid()))).path("herald");
        assertThat(herald.path("acked").asLong()).isLessThanOrEqualTo(herald.path("sent").asLong());
        assertThat(herald.path("acked").asLong()).isPositive();
        assertPercentilesOrdered(herald.path("latencyMs"));
        // The shared server runs C1 only (-XX:TieredStopAtLevel=1): its compiler threads are found all the same.
        assertThat(herald.path("serverCpuMicrosPerMessage").asDouble()).isPositive();
        assertThat(herald.path("serverJitCpuPercent").asDouble()).as("the JIT's share of the server's CPU")
                .isBetween(0.0, 100.0);
    }

    @Test
    void upstreamReportsOnlyWhatFollowsTheWarmup() throws IOException {
        JsonNode herald = onlyRun(bench("upstream", "--devices", "50", "--rate", "200", "--warmup", "1s",
                "--duration", "1s")).path("herald");
        assertThat(herald.path("warmupSeconds").asDouble()).isEqualTo(1.0);
        assertThat(herald.path("acked").asLong()).as("the warm-up's ACKs are not counted")
                .isPositive().isLessThanOrEqualTo(herald.path("sent").asLong());
        assertThat(herald.path("latencyMs").path("count").asLong()).isEqualTo(herald.path("acked").asLong());
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

    /**
     * The worker JVMs this test's bench started (not the server it targets), by their command line as the kernel
     * has it: {@link ProcessHandle.Info#arguments()} leaves out long command lines such as theirs.
     */
    private static List<ProcessHandle> benchWorkers() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> arguments(p.pid()).contains("worker")).toList();
    }

    private static List<String> arguments(long pid) {
        try {
            return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
        } catch (IOException e) {
            return List.of(); // gone meanwhile
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
