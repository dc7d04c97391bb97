package io.herald.it;

import io.herald.it.HttpApi.PushAnswer;
import io.herald.it.TestDevices.Device;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QoS 1 pushes through the HTTP API at a steady rate, each to a random device, as a business backend keeps
 * pushing whatever happens to the gateways; keeps every push the API accepted (202) with the device it was for.
 * The pushes run on a few threads of their own so that one slow answer (a gateway just died) does not hold the
 * rate up.
 */
final class SteadyPushes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SteadyPushes.class);
    private static final int PUSH_THREADS = 8;
    private static final Duration STOP_WAIT = Duration.ofSeconds(40);

    /**
     * A push the API accepted: for whom, when it was sent ({@link System#nanoTime()}, and the wall clock to find
     * it in the gateways' logs), the gateway the device was on then, and the answer (online, stored).
     */
    record Accepted(String messageId, Device device, long sentNanos, LocalTime sentAt, String deviceGateway,
                    String answer) {
    }

    private final HttpApi api;
    private final List<Device> devices;
    private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService pushers = Executors.newFixedThreadPool(PUSH_THREADS);

    private SteadyPushes(HttpApi api, List<Device> devices) {
        this.api = api;
        this.devices = List.copyOf(devices);
    }

    /** Starts pushing, one push every {@code interval}. */
    static SteadyPushes start(HttpApi api, List<Device> devices, Duration interval) {
        SteadyPushes pushes = new SteadyPushes(api, devices);
        pushes.ticker.scheduleAtFixedRate(() -> pushes.pushers.execute(() -> pushes.pushOne(pushes.devices)), 0,
                interval.toNanos(), TimeUnit.NANOSECONDS);
        return pushes;
    }

    /**
     * Starts {@code count} more pushes at once to random ones of {@code to}, on top of the steady rate, and
     * returns without waiting: a fault that strikes right after finds pushes on their way (in the API node, on the
     * internal link to the gateway, in the gateway), which one push every few dozen milliseconds rarely does.
     */
    void burst(List<Device> to, int count) {
        for (int i = 0; i < count; i++) {
            pushers.execute(() -> pushOne(to));
        }
    }

    /** Stops the ticker and waits for the pushes already started. */
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        pushers.shutdown();
        if (!pushers.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("pushes still running " + STOP_WAIT + " after the stop");
        }
    }

    int sent() {
        return sent.get();
    }

    /** Answered with a status other than 202 (e.g. 503 while a service is away): the backend knows to retry. */
    int refused() {
        return refused.get();
    }

    /** No answer at all (connection failed or timed out): the push may or may not have been taken. */
    int failed() {
        return failed.get();
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /** The first accepted push sent after {@code nanos} to one of {@code devices}, if any yet. */
    Optional<Accepted> firstAcceptedAfter(long nanos, List<Device> to) {
        return accepted.stream().filter(a -> a.sentNanos() > nanos && to.contains(a.device()))
                .min((a, b) -> Long.compare(a.sentNanos(), b.sentNanos()));
    }

    private void pushOne(List<Device> to) {
        Device device = to.get(ThreadLocalRandom.current().nextInt(to.size()));
        int number = sent.incrementAndGet();
        long sentNanos = System.nanoTime();
        LocalTime sentAt = LocalTime.now();
        String gateway = device.gateway();
        try {
            PushAnswer answer = api.push("{\"to\":\"" + device.clientId() + "\",\"payload\":\"chaos push " + number
                    + "\",\"qos\":1}");
            if (answer.status() == 202) {
                accepted.add(new Accepted(answer.messageId(), device, sentNanos, sentAt, gateway,
                        "online " + answer.online() + " stored " + answer.stored()));
            } else {
                refused.incrementAndGet();
                log.info("push {} to {} refused: {} {}", number, device.clientId(), answer.status(), answer.body());
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            log.info("push {} to {} failed: {}", number, device.clientId(), e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!pushers.isShutdown()) {
            stop();
        }
    }
}
