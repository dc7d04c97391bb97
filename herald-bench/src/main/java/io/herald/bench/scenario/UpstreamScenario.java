package io.herald.bench.scenario;

import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.fleet.UpstreamPlan;
import io.herald.bench.fleet.UpstreamResult;
import io.herald.bench.measure.LatencySummary;
import io.herald.bench.report.Figures;
import io.herald.bench.server.CpuMeter;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.protocol.ContentType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench upstream}: devices send typed QoS 1 messages at a rate; the server ACKs once its handlers are done. */
@Command(name = "upstream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N connected devices send typed QoS 1 messages upstream at a total rate.",
                "Reports acked/s, ACK outcomes and send-to-ACK latency percentiles. With several --processes, each "
                        + "worker's devices send an equal share of --rate and --max-in-flight; counts are summed "
                        + "and latency histograms merged."})
final class UpstreamScenario extends Scenario {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(45);

    @Option(names = "--devices", defaultValue = "1000", description = "Sending devices, used in turn (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "5000",
            description = "Messages per second over all devices; 0 = as fast as --max-in-flight allows (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "10s", description = "Sending time (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--content-type", defaultValue = "json",
            description = "Content type of the messages: text or json (default: ${DEFAULT-VALUE}).")
    String contentType;

    @Option(names = "--max-in-flight", defaultValue = "1000",
            description = "Messages sent and not yet acked at most, over all devices (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--warmup", defaultValue = "0s",
            description = "Unrecorded sending at --rate before the measured run, so the JIT has compiled the archive's"
                    + " insert path (a cold server spends about half the CPU of a 10 s run compiling it); 0s skips it,"
                    + " as earlier reports did (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--drain", defaultValue = "10s",
            description = "Longest wait for outstanding ACKs after sending stops (default: ${DEFAULT-VALUE}).")
    String drain;

    @Override
    int devices() {
        return devices;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) {
        ContentType type = ContentType.ofLabel(contentType);
        if (type != ContentType.TEXT && type != ContentType.JSON) {
            throw new IllegalArgumentException("--content-type must be text or json, was " + contentType);
        }
        if (maxInFlight < processCount) {
            throw new IllegalArgumentException("--max-in-flight " + maxInFlight + " is shared over " + processCount
                    + " processes: give at least one per process");
        }
        try (HeraldTarget herald = HeraldTarget.open(common, workDir, spec.name(), report);
             SimulatedFleet fleet = simulatedFleet(herald, simulator, "up-", devices, 0)) {
            fleet.connectAll(bounded(CONNECT_TIMEOUT));
            Duration warmupTime = Durations.parse(warmup);
            if (!warmupTime.isZero()) { // message ids go on after it: the server would drop a repeated one
                UpstreamResult warm = fleet.sendUpstream(new UpstreamPlan(rate, bounded(warmupTime), type,
                        maxInFlight, bounded(Durations.parse(drain))));
                if (warm.unacked() > 0) {
                    throw new IllegalStateException("the --warmup left " + warm.unacked()
                            + " messages unacked after --drain " + drain);
                }
            }
            herald.measuring();
            CpuMeter serverCpu = CpuMeter.start(herald.pid());
            CpuMeter benchCpu = CpuMeter.start(fleet.pids());
            UpstreamResult result = fleet.sendUpstream(new UpstreamPlan(rate, bounded(Durations.parse(duration)),
                    type, maxInFlight, bounded(Durations.parse(drain))));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("devices", devices);
            figures.put("contentType", type.label());
            figures.put("offeredPerSecond", rate == 0 ? "max" : rate);
            figures.put("warmupSeconds", warmupTime.toMillis() / 1000.0);
            figures.put("sentPerSecond", Figures.round(result.sent() * 1e9 / Math.max(1, result.sendingNanos())));
            figures.put("sent", result.sent());
            figures.put("acked", result.acked());
            figures.put("ackedOk", result.ackedOk());
            figures.put("ackedRejected", result.ackedRejected());
            figures.put("ackedRetry", result.ackedRetry());
            figures.put("unacked", result.unacked());
            figures.put("ackedPerSecond", Figures.round(result.acked() * 1e9 / Math.max(1, result.busyNanos())));
            figures.put("latencyMs", LatencySummary.of(result.latencyMicros()).toMap());
            figures.put("serverCpuMicrosPerMessage", serverCpu.microsPer(result.acked()));
            figures.put(Report.SERVER_JIT_CPU_PERCENT, serverCpu.jitPercent());
            figures.put("benchCpuMicrosPerMessage", benchCpu.microsPer(result.acked()));
            report.add(new Run("upstream " + type.label() + (rate == 0 ? " max rate" : " at " + (long) rate + "/s"),
                    figures, null, List.of("ackedPerSecond")));
            report.note("latency = from writing the MESSAGE to receiving its ACK on the same connection");
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
        }
    }
}
