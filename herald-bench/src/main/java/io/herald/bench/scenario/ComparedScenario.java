package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.report.Report;
import io.herald.bench.sim.DeviceProtocol;
import io.herald.bench.sim.DeviceSimulator;
import java.time.Duration;
import io.herald.bench.server.CpuMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * A scenario measured on the ideal baseline and then, a minute apart in the same run and with the same simulator,
 * on Herald, so that every figure can be given as a ratio of the ideal. The baseline-only commands switch Herald off.
 */
abstract class ComparedScenario extends Scenario {

    /** What a subclass measures once devices are online; returns the figures of each of its runs in order. */
    interface Measurement {
        List<Map<String, Object>> measure(Target target, SimulatedFleet fleet) throws Exception;
    }

    @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure the ideal baseline in the same run; --no-baseline skips it (default: ${DEFAULT-VALUE}).")
    boolean baseline;

    @Option(names = "--connect-timeout", defaultValue = "45s",
            description = "Longest wait for all devices to be online (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    /** False for the baseline-only commands. */
    boolean measuresHerald() {
        return true;
    }

    /** The baseline speaks plain TCP only: with {@code --tls} or {@code --transport ws} only Herald is measured. */
    boolean measuresBaseline() {
        boolean plain = common.tlsTrust == null && !common.tls && "tcp".equalsIgnoreCase(common.transport.trim());
        if (!measuresHerald() && !plain) {
            throw new IllegalArgumentException(spec.name() + " measures the plain-TCP baseline only: no --tls, --tls-trust"
                    + " or --transport ws");
        }
        return plain && (baseline || !measuresHerald());
    }

    /** Connects the fleet to the target, measures, disconnects; null results when the target was skipped. */
    List<Map<String, Object>> measureOn(Target target, DeviceSimulator simulator, String prefix, Report report,
                                        Measurement measurement) throws Exception {
        try (target; SimulatedFleet fleet = simulatedFleet(target, simulator, prefix, devices(), 0)) {
            DeviceFleet.ConnectResult connected = fleet.connectAll(bounded(Durations.parse(connectTimeout)));
            if (connected.online() < devices()) {
                report.note(target.name() + ": only " + connected.online() + " of " + devices()
                        + " devices came online (last error: " + connected.lastError() + ")");
            }
            target.measuring();
            List<Map<String, Object>> figures = measurement.measure(target, fleet);
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
            return figures;
        }
    }

    /**
     * Runs one measurement and adds the CPU the server and the bench (the simulated devices, in this process or its
     * workers, and the push client) spent per message: {@code serverCpuMicrosPerMessage},
     * {@code benchCpuMicrosPerMessage}.
     */
    static Map<String, Object> withCpu(Target target, SimulatedFleet fleet, String countKey,
                                       Callable<Map<String, Object>> measurement) throws Exception {
        CpuMeter server = CpuMeter.start(target.cpuPids());
        CpuMeter bench = CpuMeter.start(benchPids(fleet));
        Map<String, Object> figures = measurement.call();
        long count = ((Number) figures.get(countKey)).longValue();
        figures.put("serverCpuMicrosPerMessage", server.microsPer(count));
        figures.put(Report.SERVER_JIT_CPU_PERCENT, server.jitPercent());
        figures.put("benchCpuMicrosPerMessage", bench.microsPer(count));
        return figures;
    }

    /** This process (the push client) and, when they are others, the processes simulating the devices. */
    static List<Long> benchPids(SimulatedFleet fleet) {
        List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
        fleet.pids().stream().filter(pid -> !pids.contains(pid)).forEach(pids::add);
        return pids;
    }

    /**
     * True for the MQTT scenarios: the devices speak MQTT 5, Herald is started with {@code --mqtt-port}, and the
     * baseline is the Mosquitto broker ({@link MqttTargets}).
     */
    boolean mqtt() {
        return false;
    }

    @Override
    DeviceProtocol deviceProtocol() {
        return mqtt() ? DeviceProtocol.MQTT : DeviceProtocol.HERALD;
    }

    @Override
    void checkOptions() {
        if (mqtt()) {
            MqttTargets.check(common, processCount, spec.name());
        }
    }

    Target herald(Report report) {
        return mqtt() ? MqttTargets.herald(common, workDir, spec.name(), report)
                : HeraldTarget.open(common, workDir, spec.name(), report);
    }

    /** The baseline for a fleet whose ids start with {@code prefix}: the ideal baseline, or Mosquitto. */
    Target idealBaseline(Report report, String prefix) {
        return mqtt() ? MqttTargets.mosquitto(workDir, DeviceFleet.clientIds(prefix, devices()), report)
                : BaselineTarget.open(common, workDir);
    }

    static Duration parse(String duration) {
        return Durations.parse(duration);
    }
}
