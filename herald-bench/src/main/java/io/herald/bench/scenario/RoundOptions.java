package io.herald.bench.scenario;

import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.push.Pusher;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of the scenarios that push to a whole group one push at a time ({@code broadcast}, {@code tag}), and
 * the run they share: unrecorded warm-up rounds, then the measured {@link BroadcastRounds} with the CPU they cost.
 */
final class RoundOptions {
    /** Warm-up rounds are tagged from here, measured ones from 1: a late warm-up receipt never counts. */
    private static final int WARMUP_FIRST_TAG = 100_001;

    @Option(names = "--rounds", defaultValue = "10", description = "Rounds, one push each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--round-timeout", defaultValue = "10s",
            description = "Longest wait for one round to reach every device (default: ${DEFAULT-VALUE}).")
    String roundTimeout;

    @Option(names = "--warmup-rounds", defaultValue = "2",
            description = "Unrecorded rounds before the measured ones, so the JIT has compiled the hot paths "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--pause", defaultValue = "500ms", description = "Pause between rounds (default: ${DEFAULT-VALUE}).")
    String pause;

    /** Warms up, then measures the rounds; the figures of {@link BroadcastRounds} plus the CPU per delivery. */
    Map<String, Object> run(Target target, SimulatedFleet fleet, Pusher pusher, int qos, long hardDeadline)
            throws Exception {
        if (warmupRounds > 0) {
            new BroadcastRounds(WARMUP_FIRST_TAG).run(fleet, pusher, warmupRounds, qos,
                    ComparedScenario.parse(roundTimeout), ComparedScenario.parse(pause), hardDeadline);
        }
        return ComparedScenario.withCpu(target, fleet, "delivered", () -> new BroadcastRounds(1).run(fleet, pusher,
                rounds, qos, ComparedScenario.parse(roundTimeout), ComparedScenario.parse(pause), hardDeadline));
    }
}
