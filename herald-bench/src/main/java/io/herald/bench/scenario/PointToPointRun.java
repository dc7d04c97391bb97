package io.herald.bench.scenario;

import io.herald.bench.fleet.DeliveryCheck;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.load.InFlightLimit;
import io.herald.bench.load.Pacer;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One point-to-point run: pushes to the fleet's devices in turn, at a fixed offered rate (or as fast as the
 * in-flight bound allows when the rate is 0), for a duration; then waits for stragglers. Lost = pushes the
 * target accepted − distinct accepted message ids received, counted by {@link DeliveryCheck} over the whole fleet
 * (one process or several); for QoS 1 it must be 0. Used for Herald and the baseline.
 *
 * <p>With a batch size N above 1, each request carries N messages, each to the next device in turn
 * ({@link Pusher#pushEach}); the rate and every count are still in messages, and the in-flight bound counts
 * requests.
 */
final class PointToPointRun {
    private final int tag;
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong failedPushes = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private volatile boolean stopped;

    /** @param tag distinguishes this run's messages from late ones of an earlier run */
    PointToPointRun(int tag) {
        this.tag = tag;
    }

    Map<String, Object> run(SimulatedFleet fleet, Pusher pusher, int qos, double rate, int batch, Duration duration,
                            int maxInFlight, Duration drain, long deadlineNanos) {
        List<String> devices = fleet.clientIds();
        fleet.beginReceipts(tag);
        InFlightLimit inFlight = new InFlightLimit(maxInFlight);
        long start = System.nanoTime();
        long startMicros = BenchClock.epochMicros();
        long end = Math.min(deadlineNanos, start + duration.toNanos());
        Pacer pacer = new Pacer(rate / batch, start, end);
        long sent = 0;
        long requests = 0;
        while (!stopped && pacer.awaitNext() && inFlight.acquire(end)) {
            String payload = BenchPayload.encode(tag, BenchClock.epochMicros());
            requests++;
            if (batch == 1) {
                String target = devices.get((int) (sent++ % devices.size()));
                pusher.push(target, qos, payload).whenComplete((ok, error) -> {
                    if (error == null) {
                        accepted.add(ok.messageId());
                    } else {
                        failed(1, error);
                    }
                    inFlight.release(); // last: once the limit is idle, every answer is counted
                });
                continue;
            }
            List<String> targets = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                targets.add(devices.get((int) (sent++ % devices.size())));
            }
            pusher.pushEach(targets, qos, payload).whenComplete((ok, error) -> {
                if (error == null) {
                    ok.accepted().forEach(one -> accepted.add(one.messageId()));
                    if (ok.failed() > 0) {
                        failed(ok.failed(), ok.lastFailure());
                    }
                } else {
                    failed(targets.size(), error);
                }
                inFlight.release();
            });
        }
        long sendingNanos = System.nanoTime() - start;
        inFlight.awaitIdle(Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        // QoS 1: until every accepted push arrived; QoS 0: until nothing arrived for a little while. Both bounded.
        DeliveryCheck.await(fleet, tag, accepted, qos == 0, Math.min(deadlineNanos, System.nanoTime() + drain.toNanos()));
        DeliveryCheck.Outcome outcome = DeliveryCheck.settle(fleet, tag, accepted);
        long lastReceiveMicros = outcome.receipts().lastReceiveMicros();
        long busyMicros = Math.max(1, Math.max(lastReceiveMicros - startMicros, sendingNanos / 1_000));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("qos", qos);
        figures.put("offeredPerSecond", rate == 0 ? "max" : rate);
        figures.put("sentPerSecond", Figures.round(sent * 1e9 / Math.max(1, sendingNanos)));
        figures.put("pushes", sent);
        figures.put("messagesPerRequest", batch);
        figures.put("requests", requests);
        figures.put("accepted", outcome.accepted());
        figures.put("failedPushes", failedPushes.get());
        figures.put("delivered", outcome.delivered());
        figures.put("lost", outcome.lost());
        figures.put("duplicates", outcome.receipts().duplicates());
        figures.put("deliveredPerSecond", Figures.round(outcome.delivered() * 1e6 / busyMicros));
        figures.put("latencyMs", LatencySummary.of(outcome.receipts().latencyMicros()).toMap());
        figures.put("latencyFromTimestampMs", LatencySummary.of(outcome.receipts().stampLatencyMicros()).toMap());
        if (lastFailure.get() != null) {
            figures.put("lastFailure", lastFailure.get());
        }
        return figures;
    }

    /**
     * Ends the pushing early (from another thread), as if the duration were up: the run then waits for its answers
     * and deliveries and counts as usual. For traffic that runs while something else happens, for as long as it takes.
     */
    void stop() {
        stopped = true;
    }

    private void failed(int messages, Object why) {
        failedPushes.addAndGet(messages);
        lastFailure.set(String.valueOf(why));
    }
}
