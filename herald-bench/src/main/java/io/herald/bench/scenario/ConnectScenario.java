package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.FleetSlice;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.report.Figures;
import io.herald.bench.server.CpuMeter;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.sim.DeviceSimulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench connect}: N devices log in over HTTP and connect as fast as allowed. */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N devices log in (HTTP) and connect + AUTH with bounded concurrency (optionally paced).",
                "Reports connects/s, login-request-to-AUTH_OK percentiles and the time until all are online."})
final class ConnectScenario extends Scenario {

    @Option(names = "--devices", defaultValue = "10000", description = "Devices to connect (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "0",
            description = "Login+connect attempts per second; 0 = as fast as --concurrency allows (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--timeout", defaultValue = "60s",
            description = "Longest wait for all devices to be online (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--warmup-devices", defaultValue = "0",
            description = "Before the measured connect, this many other devices log in and connect the same way, then"
                    + " disconnect, so that the server has compiled its login and connect paths: a server that has been"
                    + " running (default: ${DEFAULT-VALUE}: a server measured cold, its JIT compiling in the figures).")
    int warmupDevices;

    @Option(names = "--reconnect-round", description = "After the connect, every device drops and connects again"
            + " (in this process only): on with --tls, where its handshakes resume; give it without TLS for the same"
            + " round in plain (default: off).")
    boolean reconnectRound;

    @Override
    int devices() {
        return devices;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) {
        try (HeraldTarget herald = HeraldTarget.open(common, workDir, spec.name(), report)) {
            if (warmupDevices > 0) {
                warmUp(report, herald, simulator);
            }
            connect(report, herald, simulator);
        }
    }

    /** Other devices (ids of their own) log in, connect and leave before the measured fleet is registered. */
    private void warmUp(Report report, HeraldTarget herald, DeviceSimulator simulator) {
        try (SimulatedFleet warmup = simulatedFleet(herald, simulator, "connect-warmup-", warmupDevices, rate)) {
            DeviceFleet.ConnectResult result = warmup.connectAll(bounded(Durations.parse(timeout)));
            warmup.disconnectAll(TimeUnit.SECONDS.toNanos(10));
            report.note("warm-up: " + result.online() + " of " + warmupDevices + " other devices logged in and"
                    + " connected at " + Figures.round(result.connectsPerSecond()) + "/s, then left, before the"
                    + " measured connect");
        }
    }

    private void connect(Report report, HeraldTarget herald, DeviceSimulator simulator) {
        try (SimulatedFleet fleet = simulatedFleet(herald, simulator, "connect-", devices, rate)) {
            herald.measuring();
            CpuMeter serverCpu = CpuMeter.start(herald.pid());
            CpuMeter benchCpu = CpuMeter.start(fleet.pids());
            DeviceFleet.ConnectResult result = fleet.connectAll(bounded(Durations.parse(timeout)));
            Map<String, Object> figures = figures(result, rate, serverCpu, benchCpu);
            report.add(new Run("connect " + devices + " devices", figures, null, List.of("connectsPerSecond")));
            report.target(">= 3,000 logins+connects+AUTH per second", Figures.round(result.connectsPerSecond()) + "/s",
                    result.connectsPerSecond() >= 3_000 && result.online() == devices);
            boolean allOnline = result.online() == devices;
            report.target("p99 login-to-AUTH_OK < 50 ms", result.loginToAuthOk().p99() + " ms"
                    + (allOnline ? "" : " (only " + result.online() + " of " + devices + " online)"),
                    allOnline && result.loginToAuthOk().p99() < 50);
            report.note("latency = from the login request to AUTH_OK on the device connection");
            if (herald.link().tls()) {
                figures.put("tlsHandshakes", herald.tlsHandshakeCounts());
            }
            if (herald.link().tls() || reconnectRound) {
                reconnectRound(report, herald, fleet);
            }
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
        }
    }

    /** The figures of a connect phase, CPU per connect from meters started just before it. */
    static Map<String, Object> figures(DeviceFleet.ConnectResult result, double rate, CpuMeter serverCpu,
                                       CpuMeter benchCpu) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devices", result.requested());
        figures.put("online", result.online());
        figures.put("failedAttempts", result.failedAttempts());
        figures.put("offeredPerSecond", rate == 0 ? "max" : rate);
        figures.put("connectsPerSecond", Figures.round(result.connectsPerSecond()));
        figures.put("timeUntilAllOnlineSeconds", Figures.round(result.elapsedNanos() / 1e9));
        figures.put("latencyMs", result.loginToAuthOk().toMap());
        figures.put("serverCpuMicrosPerConnect", serverCpu.microsPer(result.online()));
        figures.put(Report.SERVER_JIT_CPU_PERCENT, serverCpu.jitPercent());
        figures.put("benchCpuMicrosPerConnect", benchCpu.microsPer(result.online()));
        if (result.lastError() != null) {
            figures.put("lastError", result.lastError());
        }
        return figures;
    }

    /**
     * Every device drops and connects again; over TLS and logs in and connects again, offering the session ticket of its first
     * connection, so that this round's server CPU per connect is that of a resumed handshake where the first
     * round's was a full one (everything else in a connect being the same). In this process only: worker processes
     * end when their devices disconnect.
     */
    private void reconnectRound(Report report, HeraldTarget herald, SimulatedFleet fleet) {
        if (!(fleet instanceof FleetSlice slice)) {
            report.note("no reconnect (resumed TLS) round: it needs the devices in this process (--processes 1)");
            return;
        }
        DeviceFleet inProcess = slice.fleet();
        inProcess.disconnectAll(TimeUnit.SECONDS.toNanos(10));
        long resumedBefore = herald.tlsHandshakes("true");
        long fullBefore = herald.tlsHandshakes("false");
        CpuMeter serverCpu = CpuMeter.start(herald.pid());
        CpuMeter benchCpu = CpuMeter.start(fleet.pids());
        DeviceFleet.ConnectResult result = inProcess.connectAll(bounded(Durations.parse(timeout)));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devices", devices);
        figures.put("online", result.online());
        figures.put("failedAttempts", result.failedAttempts());
        figures.put("connectsPerSecond", Figures.round(result.connectsPerSecond()));
        figures.put("latencyMs", result.loginToAuthOk().toMap());
        figures.put("serverCpuMicrosPerConnect", serverCpu.microsPer(result.online()));
        figures.put(Report.SERVER_JIT_CPU_PERCENT, serverCpu.jitPercent());
        figures.put("benchCpuMicrosPerConnect", benchCpu.microsPer(result.online()));
        if (herald.link().tls()) {
            figures.put("tlsHandshakes", Map.of("resumed", herald.tlsHandshakes("true") - resumedBefore,
                    "full", herald.tlsHandshakes("false") - fullBefore));
        }
        report.add(new Run("reconnect " + devices + " devices" + (herald.link().tls() ? " (TLS, resuming)" : ""),
                figures, null,
                List.of("connectsPerSecond")));
        report.note("the reconnect round drops every device and connects it again" + (herald.link().tls()
                ? ": its TLS handshakes resume the session of the first round where the server accepts the ticket" : ""));
    }
}
