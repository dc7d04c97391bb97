package io.herald.bench.scenario;

import io.herald.bench.push.Pusher;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.sim.DeviceSimulator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench broadcast}: R broadcasts through the push API to N connected devices, then the same on the baseline. */
@Command(name = "broadcast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N connected devices, R broadcast rounds through the push API (one at a time).",
                "Reports deliveries/s, time for a round to reach 99%% and 100%% of the devices and push-to-receive "
                        + "latency, for Herald and the ideal baseline, and their ratio.",
                "With several --processes, each worker counts its devices' receipts of every round (once per "
                        + "device, again as a duplicate) and the bench merges them; the 99%%/100%% times come from the "
                        + "merged latency histogram."})
class BroadcastScenario extends ComparedScenario {
    private static final String PREFIX = "bcast-";

    @Option(names = "--devices", defaultValue = "19000", description = "Connected devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--qos", defaultValue = "0", description = "QoS of the broadcast, 0 or 1 (default: ${DEFAULT-VALUE}).")
    int qos;

    @Mixin
    RoundOptions rounds;

    @Override
    int devices() {
        return devices;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) throws Exception {
        ComparedScenario.Measurement measurement = (target, fleet) -> {
            try (Pusher pusher = target.pusher(simulator)) {
                return List.of(rounds.run(target, fleet, pusher, qos, hardDeadline));
            }
        };
        // The baseline first: it needs no registration, so it always fits in the time limit.
        Map<String, Object> ideal = measuresBaseline()
                ? measureOn(idealBaseline(report, PREFIX), simulator, PREFIX, report, measurement).get(0) : null;
        Map<String, Object> ours = measuresHerald()
                ? measureOn(herald(report), simulator, PREFIX, report, measurement).get(0) : null;
        Run run = new Run("broadcast qos" + qos + " to " + devices + " devices, " + rounds.rounds + " rounds",
                ours, ideal, List.of("deliveriesPerSecond"));
        report.add(run);
        if (ours != null && ideal != null) {
            Double ratio = run.ratios().get("deliveriesPerSecond");
            report.target(">= 80% of the baseline's deliveries/s", ratio == null ? "n/a" : Math.round(ratio * 100) + "%",
                    ratio != null && ratio >= 0.8);
        }
        report.note("deliveriesPerSecond = deliveries / time from push request to last receipt, summed over rounds; "
                + "roundTo99/100PercentMs = median over rounds; latencyMs = receive time - push request time "
                + "(payload, µs); latencyFromTimestampMs = receive time - MESSAGE timestamp (ms resolution)");
    }
}
