package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.measure.BenchClock;
import io.herald.bench.measure.BenchPayload;
import io.herald.bench.measure.LatencySummary;
import io.herald.bench.push.Pusher;
import io.herald.bench.report.Figures;
import io.herald.bench.sim.DeviceEvents;
import io.herald.bench.sim.SimulatedDevice;
import io.herald.protocol.frame.MessageFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * R broadcast rounds to a connected fleet, one at a time: push, wait until every online device has it (or the
 * round times out), pause, next. Counts each device at most once per round, so delivered never exceeds
 * expected even with QoS 1 redeliveries. The same code measures Herald and the baseline.
 */
final class BroadcastRounds implements DeviceEvents {

    /** One round's receipts: which devices got it, when the 99% and 100% marks were passed. */
    private static final class Round {
        final int tag;
        final int expected;
        final int mark99;
        final long sendNanos;
        final AtomicIntegerArray seen;
        final AtomicInteger count = new AtomicInteger();
        volatile long at99Nanos;
        volatile long at100Nanos;
        volatile long lastNanos;

        Round(int tag, int expected, int devices, long sendNanos) {
            this.tag = tag;
            this.expected = expected;
            this.mark99 = Math.max(1, (int) Math.ceil(expected * 0.99));
            this.sendNanos = sendNanos;
            this.seen = new AtomicIntegerArray(devices);
        }
    }

    private final Recorder latency = new Recorder(3);
    private final Recorder stampLatency = new Recorder(3);
    private volatile Round current;

    @Override
    public void message(SimulatedDevice device, MessageFrame message, long receivedMicros) {
        Round round = current;
        if (round == null || BenchPayload.tag(message.payload()) != round.tag
                || !round.seen.compareAndSet(device.index(), 0, 1)) {
            return;
        }
        long now = System.nanoTime();
        int n = round.count.incrementAndGet();
        round.lastNanos = now;
        if (n == round.mark99) {
            round.at99Nanos = now;
        }
        if (n == round.expected) {
            round.at100Nanos = now;
        }
        long sent = BenchPayload.sendMicros(message.payload());
        if (sent > 0) {
            latency.recordValue(Math.max(1, receivedMicros - sent));
        }
        stampLatency.recordValue(Math.max(1, receivedMicros - message.timestamp() * 1_000));
    }

    /** Runs the rounds and returns the figures; {@code deadlineNanos} bounds the whole series. */
    Map<String, Object> run(DeviceFleet fleet, Pusher pusher, int rounds, int qos, Duration roundTimeout,
                            Duration pause, long deadlineNanos) throws Exception {
        fleet.listener(this);
        latency.reset();
        stampLatency.reset();
        List<Long> to99 = new ArrayList<>();
        List<Long> to100 = new ArrayList<>();
        long delivered = 0;
        long expectedTotal = 0;
        long busyNanos = 0;
        int completeRounds = 0;
        int roundsRun = 0;
        int acceptedOnline = 0;
        for (int r = 1; r <= rounds && System.nanoTime() < deadlineNanos; r++) {
            Round round = new Round(r, fleet.online(), fleet.devices().size(), System.nanoTime());
            current = round;
            roundsRun++;
            Pusher.Accepted accepted = pusher.push(null, qos, BenchPayload.encode(r, BenchClock.epochMicros()))
                    .get(roundTimeout.toMillis(), TimeUnit.MILLISECONDS);
            acceptedOnline = accepted.online();
            long roundDeadline = Math.min(deadlineNanos, round.sendNanos + roundTimeout.toNanos());
            while (round.count.get() < round.expected && System.nanoTime() < roundDeadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            int got = round.count.get();
            delivered += got;
            expectedTotal += round.expected;
            busyNanos += (got == 0 ? roundDeadline : round.lastNanos) - round.sendNanos;
            if (round.at99Nanos != 0) {
                to99.add(round.at99Nanos - round.sendNanos);
            }
            if (round.at100Nanos != 0) {
                to100.add(round.at100Nanos - round.sendNanos);
                completeRounds++;
            }
            LockSupport.parkNanos(pause.toNanos());
        }
        current = null;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devicesOnline", fleet.online());
        figures.put("acceptedOnline", acceptedOnline);
        figures.put("rounds", roundsRun);
        figures.put("roundsComplete", completeRounds);
        figures.put("expected", expectedTotal);
        figures.put("delivered", delivered);
        figures.put("deliveriesPerSecond", busyNanos == 0 ? 0.0 : Figures.round(delivered * 1e9 / busyNanos));
        figures.put("roundTo99PercentMs", medianMillis(to99));
        figures.put("roundTo100PercentMs", medianMillis(to100));
        figures.put("latencyMs", LatencySummary.of(latency.getIntervalHistogram()).toMap());
        figures.put("latencyFromTimestampMs", LatencySummary.of(stampLatency.getIntervalHistogram()).toMap());
        return figures;
    }

    private static double medianMillis(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return 0;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return Figures.round(sorted[sorted.length / 2] / 1e6);
    }
}
