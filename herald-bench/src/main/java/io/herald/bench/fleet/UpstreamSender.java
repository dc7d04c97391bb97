package io.herald.bench.fleet;

import io.herald.bench.load.InFlightLimit;
import io.herald.bench.load.Pacer;
import io.herald.bench.sim.SimulatedDevice;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One upstream run on one slice of the fleet: its devices, in turn, send typed QoS 1 messages at the plan's rate
 * with at most {@code maxInFlight} unacked, then wait for the last ACKs. Message ids count on from the slice's
 * previous run ({@code lastIdBefore}): a device belongs to one slice, so (device, id) stays unique across runs too
 * (a warm-up, then the measured run), and the server never drops a measured message as a repeat.
 */
final class UpstreamSender {
    private final Map<Long, Long> sentNanos = new ConcurrentHashMap<>();
    private final Map<AckStatus, AtomicLong> outcomes = new EnumMap<>(AckStatus.class);
    private final Histogram latency = new ConcurrentHistogram(3);
    private final InFlightLimit inFlight;
    private final UpstreamPlan plan;
    private volatile long lastAckNanos;
    private long lastId;

    /**
     * Where a bench process's upstream ids start: 65,536 ids per millisecond of the wall clock at its start. Against a
     * running server (--api) the next bench process sends from the same device ids, and ids counted from 1 again
     * would all be repeats, which the server only acknowledges (a costlier path that no real fleet takes for all its
     * messages). A process would have to send more ids than 65,536 for every millisecond between its start and the
     * next one's to overlap it.
     */
    static long idsOfThisProcessStartAfter() {
        return System.currentTimeMillis() << 16;
    }

    UpstreamSender(UpstreamPlan plan, long lastIdBefore) {
        this.plan = plan;
        this.lastId = lastIdBefore;
        this.inFlight = new InFlightLimit(plan.maxInFlight());
        for (AckStatus status : AckStatus.values()) {
            outcomes.put(status, new AtomicLong());
        }
    }

    /** Sends until the plan's duration (or {@code deadlineNanos}) is over, then drains; bounded throughout. */
    UpstreamResult run(List<SimulatedDevice> devices, long deadlineNanos) {
        long start = System.nanoTime();
        long end = Math.min(deadlineNanos, start + plan.durationNanos());
        Pacer pacer = new Pacer(plan.ratePerSecond(), start, end);
        long sent = 0;
        while (!devices.isEmpty() && pacer.awaitNext() && inFlight.acquire(end)) {
            SimulatedDevice device = devices.get((int) (sent % devices.size()));
            long id = ++lastId;
            sentNanos.put(id, System.nanoTime());
            if (!device.send(new MessageFrame(id, plan.type(), Qos.AT_LEAST_ONCE, false, null,
                    System.currentTimeMillis(), payload(plan.type(), id)))) {
                sentNanos.remove(id);
                inFlight.release();
                continue;
            }
            sent++;
        }
        long sendingNanos = System.nanoTime() - start;
        long drainEnd = Math.min(deadlineNanos, System.nanoTime() + plan.drainNanos());
        while (!sentNanos.isEmpty() && System.nanoTime() < drainEnd) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long busy = Math.max(1, Math.max(lastAckNanos, start + sendingNanos) - start);
        return new UpstreamResult(sent, outcomes.get(AckStatus.OK).get(), outcomes.get(AckStatus.REJECTED).get(),
                outcomes.get(AckStatus.RETRY).get(), sentNanos.size(), sendingNanos, busy, latency.copy());
    }

    /** The last message id this sender used; the next run of the slice starts after it. */
    long lastId() {
        return lastId;
    }

    void ack(AckFrame ack, long receivedNanos) {
        Long sent = sentNanos.remove(ack.messageId());
        if (sent == null) {
            return;
        }
        lastAckNanos = receivedNanos;
        outcomes.get(ack.status()).incrementAndGet();
        latency.recordValue(Math.max(1, (receivedNanos - sent) / 1_000));
        inFlight.release(); // last, as InFlightLimit asks
    }

    private static byte[] payload(ContentType type, long id) {
        String text = type == ContentType.JSON ? "{\"sensor\":\"t1\",\"seq\":" + id + ",\"value\":21.5}"
                : "reading " + id + " t1=21.5";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
