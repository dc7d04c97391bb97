package io.herald.bench.scenario;

import io.herald.bench.fleet.Registration;
import io.herald.bench.push.Pusher;
import io.herald.bench.push.TagPusher;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.sim.DeviceSimulator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench tag}: N connected devices that all carry one tag, R pushes to that tag, one at a time: the broadcast
 * rounds with {@code {"tag":...}} in place of {@code "broadcast":true}. The baseline has no tags; its broadcast to
 * the same fleet is the ideal a group push is held to.
 */
@Command(name = "tag", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N connected devices tagged alike (PUT /api/v1/devices/{id}/tags before the run), R pushes to"
                + " the tag through the push API (one at a time).",
                "Reports deliveries/s, time for a push to reach 99%% and 100%% of the devices and push-to-receive"
                        + " latency; the baseline's broadcast to the same devices is the ideal."})
class TagScenario extends ComparedScenario {
    private static final String PREFIX = "tagged-";
    private static final String TAG = "bench-group";

    @Option(names = "--devices", defaultValue = "10000", description = "Tagged, connected devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--qos", defaultValue = "1", description = "QoS of the pushes, 0 or 1 (default: ${DEFAULT-VALUE}).")
    int qos;

    @Mixin
    RoundOptions rounds;

    @Option(names = "--tag-concurrency", defaultValue = "32",
            description = "Tagging requests in flight while preparing (default: ${DEFAULT-VALUE}).")
    int tagConcurrency;

    @Override
    int devices() {
        return devices;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) throws Exception {
        ComparedScenario.Measurement herald = (target, fleet) -> {
            Registration.tagAll(((HeraldTarget) target).api(), fleet.clientIds(), TAG, tagConcurrency, hardDeadline);
            return List.of(rounds.run(target, fleet, new TagPusher(((HeraldTarget) target).api(), TAG), qos,
                    hardDeadline));
        };
        ComparedScenario.Measurement broadcast = (target, fleet) -> {
            try (Pusher pusher = target.pusher(simulator)) {
                return List.of(rounds.run(target, fleet, pusher, qos, hardDeadline));
            }
        };
        Map<String, Object> ideal = measuresBaseline()
                ? measureOn(idealBaseline(report, PREFIX), simulator, PREFIX, report, broadcast).get(0) : null;
        Map<String, Object> ours = measuresHerald()
                ? measureOn(herald(report), simulator, PREFIX, report, herald).get(0) : null;
        Run run = new Run("push qos" + qos + " to a tag of " + devices + " devices, " + rounds.rounds + " rounds",
                ours, ideal, List.of("deliveriesPerSecond"));
        report.add(run);
        report.note("the baseline broadcasts to the same devices (it has no tags); deliveriesPerSecond = deliveries /"
                + " time from push request to last receipt, summed over rounds; roundTo99/100PercentMs = median over"
                + " rounds; latencyMs = receive time - push request time");
    }
}
