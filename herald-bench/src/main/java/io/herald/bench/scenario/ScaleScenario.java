package io.herald.bench.scenario;

import io.herald.bench.cluster.ClusterProbe;
import io.herald.bench.cluster.LocalCluster;
import io.herald.bench.cluster.OnlineSeries;
import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.push.Pusher;
import io.herald.bench.report.Figures;
import io.herald.bench.report.OnlineChart;
import io.herald.bench.report.Report;
import io.herald.bench.report.ReportWriter;
import io.herald.bench.report.Run;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.client.HeraldClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench scale}: a whole fleet against a running {@code bin/herald-cluster}, phase after phase: connect (logins
 * through nginx, devices over worker processes), hold, one broadcast to all, QoS 1 point-to-point at a fixed rate,
 * one gateway killed with SIGKILL under that traffic, a rolling restart of every gateway under it; each phase's
 * figures and targets in one report, with the devices online per gateway over the kill and the restarts as CSV and
 * chart next to it.
 */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A fleet against a running bin/herald-cluster (its state directory gives the ports, pids and "
                + "API key), in phases: connect D devices through nginx over worker processes; hold (per-gateway "
                + "heap, direct memory, RSS and CPU, Redis bytes per session, idle CPU of ZooKeeper, Redis, Kafka, "
                + "the archiver and the API nodes); one broadcast to all (time to 99%% and 100%%); QoS 1 "
                + "point-to-point at a fixed rate (p50/p99); SIGKILL to one gateway under that traffic; a rolling "
                + "restart of every gateway (SIGTERM, drain, start) under it.",
                "Writes bench/results/scale-<time>/ with the report, online.csv (devices online per gateway every "
                        + "--sample-interval) and online.png. Targets are met or missed with the measured amount."})
final class ScaleScenario extends Scenario {
    private static final int BROADCAST_TAG = 1;
    private static final int P2P_TAG = 2;
    private static final int KILL_TAG = 3;
    private static final int ROLLING_TAG = 4;
    /** Without --time-limit: room for 200,000 devices' registration and every phase on this machine. */
    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(25);

    @Option(names = "--cluster-dir", defaultValue = "${env:HERALD_CLUSTER_DIR:-.cluster}",
            description = "State directory of the running bin/herald-cluster (default: ${DEFAULT-VALUE}).")
    Path clusterDir;

    @Option(names = "--cluster-script", defaultValue = "bin/herald-cluster",
            description = "The bin/herald-cluster that runs it: its ports, kill-gateway and restart-gateway "
                    + "(default: ${DEFAULT-VALUE}).")
    Path clusterScript;

    @Option(names = "--devices", defaultValue = "200000", description = "Devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--connect-timeout", defaultValue = "600s",
            description = "Longest wait for all devices to be online (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--connect-rate", defaultValue = "0",
            description = "Logins+connects per second across all workers; 0 = as fast as --concurrency allows "
                    + "(default: ${DEFAULT-VALUE}).")
    double connectRate;

    @Option(names = "--hold", defaultValue = "60s", description = "Hold phase; 0s skips it (default: ${DEFAULT-VALUE}).")
    String hold;

    @Option(names = "--broadcast", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the broadcast phase (default: ${DEFAULT-VALUE}).")
    boolean broadcast;

    @Option(names = "--broadcast-timeout", defaultValue = "120s",
            description = "Longest wait for the broadcast to reach every device (default: ${DEFAULT-VALUE}).")
    String broadcastTimeout;

    @Option(names = "--p2p-rate", defaultValue = "1000",
            description = "QoS 1 pushes per second of the point-to-point phase and of the traffic during the kill and "
                    + "the rolling restart (default: ${DEFAULT-VALUE}).")
    double p2pRate;

    @Option(names = "--p2p-duration", defaultValue = "30s",
            description = "Point-to-point phase; 0s skips it (default: ${DEFAULT-VALUE}).")
    String p2pDuration;

    @Option(names = "--p99-target", defaultValue = "50ms",
            description = "Target for the point-to-point phase's p99 push-to-receive (default: ${DEFAULT-VALUE}).")
    String p99Target;

    @Option(names = "--kill-gateway", defaultValue = "1",
            description = "Gateway to SIGKILL under traffic; 0 skips the kill phase (default: ${DEFAULT-VALUE}).")
    int killGateway;

    @Option(names = "--rolling-restart", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Restart every gateway in turn under traffic (default: ${DEFAULT-VALUE}).")
    boolean rollingRestart;

    @Option(names = "--back-within", defaultValue = "30s",
            description = "Target: a disrupted gateway's devices all online on the others within this, counted from "
                    + "the signal (default: ${DEFAULT-VALUE}).")
    String backWithin;

    @Option(names = "--back-timeout", defaultValue = "180s",
            description = "Longest wait for them (default: ${DEFAULT-VALUE}).")
    String backTimeout;

    @Option(names = "--drain", defaultValue = "60s",
            description = "Longest wait after the last push of a phase for QoS 1 messages still on their way "
                    + "(default: ${DEFAULT-VALUE}).")
    String drain;

    @Option(names = "--sample-interval", defaultValue = "1s",
            description = "How often devices online per gateway are sampled for online.csv (default: ${DEFAULT-VALUE}).")
    String sampleInterval;

    /** Messages any one device received so far in this run, at most: what its SDK's duplicate filter remembers. */
    private long messagesPerDeviceAtMost;

    @Override
    int devices() {
        return devices;
    }

    @Override
    Duration timeLimit() {
        boolean given = spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--time-limit");
        return given ? super.timeLimit() : DEFAULT_TIME_LIMIT;
    }

    @Override
    Path resultsDirectory(Report report) {
        return common.resultsDir.resolve(report.scenario() + "-" + ReportWriter.stamp(report));
    }

    @Override
    void run(Report report, DeviceSimulator simulator) throws Exception {
        LocalCluster cluster = LocalCluster.open(clusterScript, clusterDir);
        ClusterProbe probe = new ClusterProbe(cluster);
        List<Long> clusterPids = new ArrayList<>();
        for (int n = 1; n <= cluster.gateways(); n++) {
            clusterPids.add(cluster.pid("gateway-" + n));
        }
        cluster.apiNodes().forEach(api -> clusterPids.add(cluster.pid(api)));
        report.server("clusterDir", cluster.state().toString());
        report.server("gateways", cluster.gateways());
        report.server("apiNodes", cluster.apiNodes().size());
        // A prefix of this run: devices registered by an earlier run (and their stored messages) play no part.
        String prefix = "scale-" + Long.toString(System.currentTimeMillis() / 1000, 36) + "-";
        ScaleHold holdPhase = new ScaleHold(probe);
        holdPhase.before();
        try (HeraldTarget herald = HeraldTarget.ofCluster(URI.create("http://127.0.0.1:" + cluster.nginxPort()),
                cluster.apiKey(), clusterPids, linkSettings, report);
             SimulatedFleet fleet = simulatedFleet(herald, simulator, prefix, devices, connectRate);
             Pusher pusher = herald.pusher(simulator)) {
            DeviceFleet.ConnectResult connected = fleet.connectAll(bounded(Durations.parse(connectTimeout)));
            connectPhase(report, connected, holdPhase.spread(), cluster);
            if (connected.online() < devices) {
                report.note("not every device came online (last error: " + connected.lastError()
                        + "); the later phases were not run");
                return;
            }
            if (!Durations.parse(hold).isZero()) {
                Map<String, Object> held = holdPhase.hold(fleet, bounded(Durations.parse(hold)));
                report.add(new Run("hold " + devices + " devices", held, null,
                        List.of("heapPerDeviceBytes", "rssPerDeviceBytes", "redisBytesPerSession")));
                int minOnline = (int) held.get("minOnlineWhileHolding");
                report.target("all " + devices + " held online", minOnline + " online at the fewest",
                        minOnline >= devices);
            }
            if (broadcast) {
                Map<String, Object> figures = new BroadcastRounds(BROADCAST_TAG).run(fleet, pusher, 1, 0,
                        Durations.parse(broadcastTimeout), Duration.ZERO, hardDeadline);
                messagesPerDeviceAtMost++;
                report.add(new Run("broadcast to " + devices, figures, null,
                        List.of("roundTo99PercentMs", "roundTo100PercentMs")));
                long missed = ((Number) figures.get("missed")).longValue();
                report.target("broadcast reaches 100% of the devices", missed + " missed, 100% after "
                        + figures.get("roundTo100PercentMs") + " ms", missed == 0 && (long) figures.get("delivered") > 0);
            }
            if (!Durations.parse(p2pDuration).isZero()) {
                pointToPoint(report, fleet, pusher);
            }
            if (killGateway > 0 || rollingRestart) {
                disruptions(report, probe, fleet, pusher, resultsDirectory(report));
            }
            fleet.disconnectAll(bounded(Duration.ofSeconds(60)));
        }
    }

    private void connectPhase(Report report, DeviceFleet.ConnectResult connected, long[] spread, LocalCluster cluster) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devices", devices);
        figures.put("online", connected.online());
        figures.put("workerProcesses", processCount);
        figures.put("failedAttempts", connected.failedAttempts());
        figures.put("connectSeconds", Figures.round(connected.elapsedNanos() / 1e9));
        figures.put("connectsPerSecond", Figures.round(connected.connectsPerSecond()));
        figures.put("loginToAuthOkMs", connected.loginToAuthOk().toMap());
        Map<String, Object> perGateway = new LinkedHashMap<>();
        long fewest = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < spread.length; i++) {
            perGateway.put("gateway-" + (i + 1), spread[i]);
            fewest = Math.min(fewest, spread[i]);
            most = Math.max(most, spread[i]);
        }
        figures.put("devicesPerGateway", perGateway);
        report.add(new Run("connect " + devices + " devices through nginx", figures, null,
                List.of("connectsPerSecond")));
        report.target("all " + devices + " devices online", connected.online() + " online", connected.online() >= devices);
        report.target("devices on every one of the " + spread.length + " gateways", "fewest " + fewest + ", most " + most,
                fewest > 0);
        int sizedFor = cluster.devicesPerGateway();
        report.target("no gateway above the " + sizedFor + " devices it is sized for (--devices-per-gateway)",
                "most " + most, most <= sizedFor);
    }

    private void pointToPoint(Report report, SimulatedFleet fleet, Pusher pusher) {
        Map<String, Object> figures = new PointToPointRun(P2P_TAG).run(fleet, pusher, 1, p2pRate, 1,
                Durations.parse(p2pDuration), 256, Durations.parse(drain), hardDeadline);
        report.add(new Run("qos1 point-to-point at " + (long) p2pRate + "/s", figures, null,
                List.of("deliveredPerSecond")));
        qosChecks(report, "point-to-point", figures);
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) figures.get("latencyMs");
        double p99 = ((Number) latency.get("p99")).doubleValue();
        double target = Durations.parse(p99Target).toNanos() / 1e6;
        report.target("point-to-point p99 push-to-receive < " + p99Target + " at " + (long) p2pRate + "/s",
                "p50 " + latency.get("p50") + " ms, p99 " + p99 + " ms", (long) latency.get("count") > 0 && p99 < target);
    }

    private void disruptions(Report report, ClusterProbe probe, SimulatedFleet fleet, Pusher pusher, Path directory) {
        Duration within = Durations.parse(backWithin);
        try (OnlineSeries series = OnlineSeries.start(probe, Durations.parse(sampleInterval).toMillis())) {
            ScaleDisruption disruption = new ScaleDisruption(probe, series, fleet, pusher, devices, p2pRate,
                    Durations.parse(backTimeout), Durations.parse(drain), hardDeadline);
            if (killGateway > 0) {
                if (killGateway > probe.cluster().gateways()) {
                    throw new IllegalArgumentException("--kill-gateway " + killGateway + ": the cluster has "
                            + probe.cluster().gateways() + " gateways");
                }
                disruptionChecks(report, "SIGKILL gateway-" + killGateway, disruption.kill(KILL_TAG, killGateway),
                        within);
            }
            if (rollingRestart) {
                disruptionChecks(report, "rolling restart of " + probe.cluster().gateways() + " gateways",
                        disruption.rollingRestart(ROLLING_TAG), within);
            }
            series.close();
            writeSeries(report, series, directory);
        }
    }

    private void disruptionChecks(Report report, String name, ScaleDisruption.Outcome outcome, Duration within) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("slowestAllBackSeconds", Double.isInfinite(outcome.slowestBackSeconds()) ? null
                : outcome.slowestBackSeconds());
        figures.put("disruptions", outcome.disruptions().stream().map(ScaleDisruption.Disruption::toMap).toList());
        figures.put("qos1", outcome.traffic());
        report.add(new Run(name + " under QoS 1 traffic", figures, null, List.of("slowestAllBackSeconds")));
        for (ScaleDisruption.Disruption d : outcome.disruptions()) {
            report.target(name + ": gateway-" + d.gateway() + "'s " + d.devicesMoved() + " devices online on the "
                    + "others within " + within.toSeconds() + " s",
                    d.allBack() ? d.backSeconds() + " s" : "not all back within --back-timeout",
                    d.allBack() && d.backSeconds() <= within.toMillis() / 1e3 && d.failure() == null);
            if (d.failure() != null) {
                report.note(name + ", gateway-" + d.gateway() + ": " + d.failure());
            }
        }
        qosChecks(report, name, outcome.traffic());
    }

    /**
     * 0 lost, and 0 duplicates seen by the application. A device receives a QoS 1 message again when its ACK did
     * not make it before its gateway went (a kill; a drain hands unacknowledged messages to the store): at least
     * once, on the wire. The SDK hands a redelivered id to the application only when it fell out of its duplicate
     * filter (the last {@link HeraldClientOptions#DEFAULT_DUPLICATE_WINDOW} ids of that device); each phase pushes to
     * the devices in turn, so no device has received more than the broadcast plus ceil(pushes / devices) of each
     * phase so far, and when that is within the window every redelivery is filtered. The redeliveries are reported ({@code duplicates}) either way.
     */
    private void qosChecks(Report report, String phase, Map<String, Object> traffic) {
        long lost = ((Number) traffic.get("lost")).longValue();
        long redelivered = ((Number) traffic.get("duplicates")).longValue();
        long pushes = ((Number) traffic.get("pushes")).longValue();
        messagesPerDeviceAtMost += (pushes + devices - 1) / devices;
        long perDevice = messagesPerDeviceAtMost;
        int window = HeraldClientOptions.DEFAULT_DUPLICATE_WINDOW;
        long seenTwice = perDevice <= window ? 0 : redelivered;
        report.target(phase + ": 0 QoS 1 messages lost", lost + " lost of " + traffic.get("accepted") + " accepted",
                lost == 0);
        report.target(phase + ": 0 duplicates seen by the application (SDK duplicate filter of " + window
                + " ids per device)", seenTwice + " (" + redelivered + " redelivered on the wire, at most " + perDevice
                + " messages per device)", seenTwice == 0);
    }

    private void writeSeries(Report report, OnlineSeries series, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        Path csv = directory.resolve("online.csv");
        series.writeCsv(csv);
        Path png = directory.resolve("online.png");
        OnlineChart.write(series, "devices online per gateway: " + devices + " devices, "
                + series.gateways() + " gateways", png);
        report.server("onlineSeries", Map.of("csv", csv.getFileName().toString(), "chart", png.getFileName().toString()));
        report.note("online.csv / online.png: devices online per gateway (its herald_connections) every "
                + sampleInterval + ", with the kill and restarts marked; 'back' = the disrupted gateway holds none and "
                + "the gateways' counts add up to the fleet again, polled every 250 ms");
    }
}
