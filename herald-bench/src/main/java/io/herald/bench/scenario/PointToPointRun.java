package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.load.InFlightLimit;
import io.herald.bench.load.Pacer;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * One point-to-point run: pushes to the fleet's devices in turn, at a fixed offered rate (or as fast as the
 * in-flight bound allows when the rate is 0), for a duration; then waits for stragglers. Lost = pushes the
 * target accepted − distinct message ids received; for QoS 1 it must be 0. Used for Herald and the baseline.
 *
 * <p>With a batch size N above 1, each request carries N messages, each to the next device in turn
 * ({@link Pusher#pushEach}); the rate and every count are still in messages, and the in-flight bound counts
 * requests.
 */
final class PointToPointRun implements DeviceEvents {
    private final int tag;
    private final Set<Long> received = ConcurrentHashMap.newKeySet();
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failedPushes = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final Recorder latency = new Recorder(3);
    private final Recorder stampLatency = new Recorder(3);
    private volatile long lastReceiveNanos;

    /** @param tag distinguishes this run's messages from late ones of an earlier run */
    PointToPointRun(int tag) {
        this.tag = tag;
    }

    @Override
    public void message(SimulatedDevice device, MessageFrame message, long receivedMicros) {
        if (BenchPayload.tag(message.payload()) != tag) {
            return;
        }
        if (!received.add(message.messageId())) {
            duplicates.incrementAndGet();
            return;
        }
        lastReceiveNanos = System.nanoTime();
        long sent = BenchPayload.sendMicros(message.payload());
        if (sent > 0) {
            latency.recordValue(Math.max(1, receivedMicros - sent));
        }
        stampLatency.recordValue(Math.max(1, receivedMicros - message.timestamp() * 1_000));
    }

    Map<String, Object> run(DeviceFleet fleet, Pusher pusher, int qos, double rate, int batch, Duration duration,
                            int maxInFlight, Duration drain, long deadlineNanos) {
        fleet.listener(this);
        List<SimulatedDevice> devices = fleet.devices();
        InFlightLimit inFlight = new InFlightLimit(maxInFlight);
        long start = System.nanoTime();
        long end = Math.min(deadlineNanos, start + duration.toNanos());
        Pacer pacer = new Pacer(rate / batch, start, end);
        long sent = 0;
        long requests = 0;
        while (pacer.awaitNext() && inFlight.acquire(end)) {
            String payload = BenchPayload.encode(tag, BenchClock.epochMicros());
            requests++;
            if (batch == 1) {
                String target = devices.get((int) (sent++ % devices.size())).clientId();
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
                targets.add(devices.get((int) (sent++ % devices.size())).clientId());
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
        awaitDelivery(qos, drain, deadlineNanos);
        long delivered = accepted.stream().filter(received::contains).count();
        long busy = Math.max(1, Math.max(lastReceiveNanos, start + sendingNanos) - start);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("qos", qos);
        figures.put("offeredPerSecond", rate == 0 ? "max" : rate);
        figures.put("sentPerSecond", Figures.round(sent * 1e9 / Math.max(1, sendingNanos)));
        figures.put("pushes", sent);
        figures.put("messagesPerRequest", batch);
        figures.put("requests", requests);
        figures.put("accepted", accepted.size());
        figures.put("failedPushes", failedPushes.get());
        figures.put("delivered", delivered);
        figures.put("lost", accepted.size() - delivered);
        figures.put("duplicates", duplicates.get());
        figures.put("deliveredPerSecond", Figures.round(delivered * 1e9 / busy));
        figures.put("latencyMs", LatencySummary.of(latency.getIntervalHistogram()).toMap());
        figures.put("latencyFromTimestampMs", LatencySummary.of(stampLatency.getIntervalHistogram()).toMap());
        if (lastFailure.get() != null) {
            figures.put("lastFailure", lastFailure.get());
        }
        return figures;
    }

    private void failed(int messages, Object why) {
        failedPushes.addAndGet(messages);
        lastFailure.set(String.valueOf(why));
    }

    /** QoS 1: until every accepted push arrived. QoS 0: until nothing arrived for a little while. Both bounded. */
    private void awaitDelivery(int qos, Duration drain, long deadlineNanos) {
        long deadline = Math.min(deadlineNanos, System.nanoTime() + drain.toNanos());
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (received.size() >= accepted.size() && received.containsAll(accepted)) {
                return;
            }
            if (qos == 0 && System.nanoTime() - lastReceiveNanos > quietNanos) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
