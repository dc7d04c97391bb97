package io.herald.bench.scenario;

import io.herald.bench.fleet.RoundReceipts;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.measure.BenchClock;
import io.herald.bench.measure.BenchPayload;
import io.herald.bench.measure.LatencySummary;
import io.herald.bench.push.Pusher;
import io.herald.bench.report.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * R broadcast rounds to a connected fleet, one at a time: push, wait until every device online at the push has it
 * (or the round times out), pause, next. The fleet counts each device at most once per round (a second receipt is
 * a duplicate), so delivered never exceeds expected even with QoS 1 redeliveries; each round's times to 99% and 100%
 * come from its merged latency histogram, so they are the whole fleet's whether one process or several hold it.
 * The same code measures Herald and the baseline.
 */
final class BroadcastRounds {
    private final int firstTag;

    /** @param firstTag tag of the first round; warm-up and measured rounds use tags apart, so no late one counts twice */
    BroadcastRounds(int firstTag) {
        this.firstTag = firstTag;
    }

    /** Runs the rounds and returns the figures; {@code deadlineNanos} bounds the whole series. */
    Map<String, Object> run(SimulatedFleet fleet, Pusher pusher, int rounds, int qos, Duration roundTimeout,
                            Duration pause, long deadlineNanos) throws Exception {
        Histogram latency = new Histogram(3);
        Histogram stampLatency = new Histogram(3);
        List<Long> to99 = new ArrayList<>();
        List<Long> to100 = new ArrayList<>();
        long delivered = 0;
        long expectedTotal = 0;
        long duplicates = 0;
        long busyMicros = 0;
        int completeRounds = 0;
        int roundsRun = 0;
        int acceptedOnline = 0;
        for (int r = 0; r < rounds && System.nanoTime() < deadlineNanos; r++) {
            int tag = firstTag + r;
            fleet.beginRound(tag);
            long sendNanos = System.nanoTime();
            roundsRun++;
            Pusher.Accepted accepted = pusher.push(null, qos, BenchPayload.encode(tag, BenchClock.epochMicros()))
                    .get(roundTimeout.toMillis(), TimeUnit.MILLISECONDS);
            acceptedOnline = accepted.online();
            long roundDeadline = Math.min(deadlineNanos, sendNanos + roundTimeout.toNanos());
            RoundReceipts round = fleet.awaitRound(tag, Math.max(0, roundDeadline - System.nanoTime()));
            delivered += round.delivered();
            expectedTotal += round.expected();
            duplicates += round.duplicates();
            latency.add(round.latencyMicros());
            stampLatency.add(round.stampLatencyMicros());
            // Busy until the last receipt, which is the largest push-to-receive latency of the round.
            busyMicros += round.latencyMicros().getTotalCount() == 0
                    ? TimeUnit.NANOSECONDS.toMicros(roundDeadline - sendNanos) : round.latencyMicros().getMaxValue();
            long at99 = round.microsUntil(0.99);
            if (at99 >= 0) {
                to99.add(at99);
            }
            if (round.expected() > 0 && round.delivered() >= round.expected()) {
                to100.add(round.microsUntil(1.0));
                completeRounds++;
            }
            LockSupport.parkNanos(pause.toNanos());
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devicesOnline", fleet.online());
        figures.put("acceptedOnline", acceptedOnline);
        figures.put("rounds", roundsRun);
        figures.put("roundsComplete", completeRounds);
        figures.put("expected", expectedTotal);
        figures.put("delivered", delivered);
        figures.put("missed", expectedTotal - delivered);
        figures.put("duplicates", duplicates);
        figures.put("deliveriesPerSecond", busyMicros == 0 ? 0.0 : Figures.round(delivered * 1e6 / busyMicros));
        figures.put("roundTo99PercentMs", medianMillis(to99));
        figures.put("roundTo100PercentMs", medianMillis(to100));
        figures.put("latencyMs", LatencySummary.of(latency).toMap());
        figures.put("latencyFromTimestampMs", LatencySummary.of(stampLatency).toMap());
        return figures;
    }

    private static double medianMillis(List<Long> micros) {
        if (micros.isEmpty()) {
            return 0;
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        return Figures.round(sorted[sorted.length / 2] / 1e3);
    }
}
