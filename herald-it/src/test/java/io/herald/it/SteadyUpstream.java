package io.herald.it;

import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every device sends a QoS 1 message up through the SDK at a steady rate, whether it is connected or not: the SDK
 * keeps what it cannot send yet and resends unacked messages after a reconnect, which is what a fault exercises.
 * The acknowledged ones are counted in an {@link AckedUpstream}.
 */
final class SteadyUpstream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SteadyUpstream.class);

    private final List<Device> devices;
    private final AckedUpstream acked;
    private final Queue<CompletableFuture<Void>> sends = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private int round;

    private SteadyUpstream(List<Device> devices, AckedUpstream acked) {
        this.devices = List.copyOf(devices);
        this.acked = acked;
    }

    /** Starts sending: one message from every device every {@code interval}. */
    static SteadyUpstream start(List<Device> devices, AckedUpstream acked, Duration interval) {
        SteadyUpstream upstream = new SteadyUpstream(devices, acked);
        upstream.ticker.scheduleAtFixedRate(upstream::sendRound, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return upstream;
    }

    /** Stops sending new messages; the ones sent stay with the SDK until acknowledged. */
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
    }

    int sent() {
        return sent.get();
    }

    /** Sends that ended other than with ACK OK (rejected, or the client closed). */
    int failed() {
        return failed.get();
    }

    /** Sends the SDK still waits an ACK for. */
    long unacked() {
        return sends.stream().filter(send -> !send.isDone()).count();
    }

    private void sendRound() {
        round++;
        for (Device device : devices) {
            sent.incrementAndGet();
            CompletableFuture<Void> send = acked.send(device, device.clientId() + " reading " + round);
            send.whenComplete((ok, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                    log.warn("upstream message of {} ended without ACK OK: {}", device.clientId(), error.toString());
                }
            });
            sends.add(send);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
