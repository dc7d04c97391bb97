package io.herald.bench.fleet;

import io.herald.bench.load.InFlightLimit;
import io.herald.bench.load.Pacer;
import io.herald.bench.measure.LatencySummary;
import io.herald.bench.sim.DeviceEvents;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.sim.SimulatedDevice;
import io.herald.bench.sim.LoginNeededException;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * N simulated devices and the one thread that logs them in and connects them: at most {@code concurrency}
 * login+connect attempts in flight, optionally paced to a rate. A failed attempt is retried after a short random
 * pause; with reconnection on, a device whose connection drops queues itself again, as a real device would, and
 * like the SDK it reconnects with the token it has to the gateway it had, logging in over HTTP only when that
 * gateway answers AUTH_FAIL or, with {@link ReconnectMode#ANY_GATEWAY}, neither it nor the login's fallback
 * gateways can be reached ({@link #logins()} counts the logins).
 * Every wait is bounded by the fleet's hard deadline. Forwards messages and acks to its listener (the
 * {@link FleetSlice} that counts them).
 */
public final class DeviceFleet implements DeviceEvents, AutoCloseable {
    private static final long POLL_MILLIS = 20;

    /**
     * How a connect phase went; {@code elapsedNanos} runs until the last device came online. The raw histogram (in
     * microseconds) is kept so that the results of several worker processes can be merged exactly.
     */
    public record ConnectResult(int requested, int online, long failedAttempts, long elapsedNanos,
                                Histogram loginToAuthOkMicros, String lastError) {
        public double connectsPerSecond() {
            return elapsedNanos == 0 ? 0 : online * 1e9 / elapsedNanos;
        }

        public LatencySummary loginToAuthOk() {
            return LatencySummary.of(loginToAuthOkMicros);
        }
    }

    private final DeviceSimulator simulator;
    private final GatewayLogin login;
    private final List<SimulatedDevice> devices;
    private final InFlightLimit inFlight;
    private final double connectRate;
    private final long hardDeadlineNanos;
    private final BlockingQueue<SimulatedDevice> pending = new LinkedBlockingQueue<>();
    private final AtomicInteger online = new AtomicInteger();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** Per device (by index): the gateway and token of its last login, kept for reconnecting; null: log in first. */
    private final AtomicReferenceArray<GatewayLogin.Credentials> credentials;
    private final AtomicLong logins = new AtomicLong();
    /** Successful attempts whose latency is recorded: a device counts as online slightly before that. */
    private final AtomicInteger connectsRecorded = new AtomicInteger();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Recorder connectLatency = new Recorder(3);
    /** Read while it fills (status polls during a storm): a concurrent histogram rather than a resetting recorder. */
    private final Histogram reconnectLatency = new ConcurrentHistogram(3);
    private final Thread driver;
    private volatile DeviceEvents listener = new DeviceEvents() { };
    private volatile Pacer pacer;
    private volatile ReconnectMode reconnect = ReconnectMode.NEVER;
    private volatile boolean closed;
    private volatile long lastOnlineNanos;

    /**
     * @param connectRate       login+connect attempts per second during {@link #connectAll}; 0 for no pacing
     * @param hardDeadlineNanos {@link System#nanoTime()} after which the fleet starts nothing new
     */
    public DeviceFleet(DeviceSimulator simulator, GatewayLogin login, List<String> clientIds, int concurrency,
                       double connectRate, long hardDeadlineNanos) {
        this.simulator = simulator;
        this.login = login;
        List<SimulatedDevice> list = new ArrayList<>(clientIds.size());
        for (int i = 0; i < clientIds.size(); i++) {
            list.add(new SimulatedDevice(clientIds.get(i), i));
        }
        this.devices = Collections.unmodifiableList(list);
        this.credentials = new AtomicReferenceArray<>(list.size());
        this.inFlight = new InFlightLimit(concurrency);
        this.connectRate = connectRate;
        this.hardDeadlineNanos = hardDeadlineNanos;
        this.driver = new Thread(this::drive, "bench-connect-driver");
        this.driver.setDaemon(true);
        this.driver.start();
    }

    /** {@code prefix000000}, {@code prefix000001}, ...: ids that sort in fleet order. */
    public static List<String> clientIds(String prefix, int count) {
        return clientIds(prefix, 0, count);
    }

    /** The slice {@code [first, first + count)} of {@link #clientIds(String, int)}: a worker process's devices. */
    public static List<String> clientIds(String prefix, int first, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            ids.add(String.format("%s%06d", prefix, i));
        }
        return ids;
    }

    public List<SimulatedDevice> devices() {
        return devices;
    }

    public int online() {
        return online.get();
    }

    public void listener(DeviceEvents events) {
        this.listener = events;
    }

    /** {@link System#nanoTime()} after which the fleet starts nothing new. */
    public long hardDeadlineNanos() {
        return hardDeadlineNanos;
    }

    /** Connects every offline device and waits, at most until the timeout, for all to be online. */
    public ConnectResult connectAll(long timeoutNanos) {
        long start = System.nanoTime();
        long deadline = Math.min(hardDeadlineNanos, start + timeoutNanos);
        connectLatency.reset();
        connectsRecorded.set(0);
        int onlineBefore = online.get();
        long failedBefore = failedAttempts.get();
        pacer = connectRate > 0 ? new Pacer(connectRate, start, deadline) : null;
        for (SimulatedDevice device : devices) {
            if (!device.isOnline()) {
                pending.add(device);
            }
        }
        boolean all = awaitOnline(devices.size(), deadline);
        long elapsed = (all ? lastOnlineNanos : System.nanoTime()) - start;
        pacer = null;
        awaitRecorded(online.get() - onlineBefore);
        return new ConnectResult(devices.size(), online.get(), failedAttempts.get() - failedBefore, Math.max(0, elapsed),
                connectLatency.getIntervalHistogram(), lastError.get());
    }

    /**
     * A device is marked online when its AUTH_OK arrives, and its login-to-AUTH_OK latency is recorded just after,
     * on the completing thread: wait (briefly) for the last ones so the histogram has one sample per device.
     */
    private void awaitRecorded(int expected) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (connectsRecorded.get() < expected && System.nanoTime() < until) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * From now on a dropped device reconnects as {@code mode} says, after the wait its gateway's RECONNECT notice
     * asked for, if any, and a random pause of up to 100 ms.
     */
    public void reconnectOnDrop(ReconnectMode mode) {
        this.reconnect = mode;
        reconnectLatency.reset();
    }

    /** Time from each drop to being back online (µs), since {@link #reconnectOnDrop} was switched on. */
    public Histogram reconnectLatencyMicros() {
        return reconnectLatency.copy();
    }

    /** HTTP logins made so far (first connects included): compare before and after a storm. */
    public long logins() {
        return logins.get();
    }

    public long lastOnlineNanos() {
        return lastOnlineNanos;
    }

    /** Waits until at least {@code count} devices are online; false when the deadline came first. */
    public boolean awaitOnline(int count, long deadlineNanos) {
        while (online.get() < count) {
            if (System.nanoTime() >= deadlineNanos || closed) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /** Keeps the devices connected for {@code nanos} (bounded by the hard deadline); the fewest seen online. */
    public int holdFor(long nanos) {
        int minOnline = online.get();
        long end = Math.min(hardDeadlineNanos, System.nanoTime() + nanos);
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(200), Math.max(1, end - System.nanoTime())));
            minOnline = Math.min(minOnline, online.get());
        }
        return minOnline;
    }

    /** Closes every connection and waits (bounded) until all are down. */
    public void disconnectAll(long timeoutNanos) {
        reconnect = ReconnectMode.NEVER;
        pending.clear();
        devices.forEach(SimulatedDevice::close);
        long deadline = System.nanoTime() + timeoutNanos;
        while (online.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private void drive() {
        while (!closed && System.nanoTime() < hardDeadlineNanos) {
            SimulatedDevice device;
            try {
                device = pending.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (device == null || device.isOnline()) {
                continue;
            }
            Pacer current = pacer;
            if (current != null && !current.awaitNext()) {
                pacer = null;
            }
            if (!inFlight.acquire(hardDeadlineNanos)) {
                return;
            }
            attempt(device);
        }
    }

    private void attempt(SimulatedDevice device) {
        long start = System.nanoTime();
        CompletableFuture<Void> authenticated;
        try {
            authenticated = credentialsOf(device)
                    .thenCompose(c -> simulator.connect(device, c.gateway(), c.token(), this));
        } catch (RuntimeException e) {
            authenticated = CompletableFuture.failedFuture(e);
        }
        authenticated.whenComplete((ok, error) -> {
            if (error == null) {
                connectLatency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                connectsRecorded.incrementAndGet();
            } else {
                failedAttempts.incrementAndGet();
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                // Refused token or full gateway: log in for a new token or another gateway. Gateway unreachable while
                // its cluster may have lost it: the same token at the login's next gateway, and once every other one
                // failed in a row a login so the API names a live gateway, as the SDK does.
                if (cause instanceof LoginNeededException) {
                    credentials.set(device.index(), null);
                } else if (cause instanceof ConnectException && reconnect == ReconnectMode.ANY_GATEWAY) {
                    GatewayLogin.Credentials failed = credentials.get(device.index());
                    GatewayLogin.Credentials next = failed == null ? null : failed.nextFallback();
                    credentials.set(device.index(), next);
                    if (next != null) {
                        retryLater(device, 0); // at once, as the SDK: no backoff before another gateway
                        inFlight.release();
                        return;
                    }
                }
                lastError.set(String.valueOf(cause));
                retryLater(device, 100 + ThreadLocalRandom.current().nextInt(400));
            }
            inFlight.release(); // last, as InFlightLimit asks
        });
    }

    /**
     * While reconnecting dropped devices: the kept gateway and token. Otherwise, or when the token was refused: a
     * login (kept for the next reconnect). Connect phases always log in: they measure login + connect.
     */
    private CompletableFuture<GatewayLogin.Credentials> credentialsOf(SimulatedDevice device) {
        GatewayLogin.Credentials kept = reconnect != ReconnectMode.NEVER ? credentials.get(device.index()) : null;
        if (kept != null) {
            return CompletableFuture.completedFuture(kept);
        }
        logins.incrementAndGet();
        return login.login(device.clientId()).thenApply(fresh -> {
            credentials.set(device.index(), fresh);
            return fresh;
        });
    }

    private void retryLater(SimulatedDevice device, long delayMillis) {
        if (closed || System.nanoTime() >= hardDeadlineNanos) {
            return;
        }
        simulator.group().schedule(() -> {
            if (!device.isOnline() && !closed) {
                pending.add(device);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void authenticated(SimulatedDevice device) {
        GatewayLogin.Credentials kept = credentials.get(device.index());
        if (kept != null) {
            credentials.compareAndSet(device.index(), kept, kept.connected());
        }
        long now = System.nanoTime();
        lastOnlineNanos = now;
        online.incrementAndGet();
        if (device.droppedAtNanos() != 0) {
            reconnectLatency.recordValue(Math.max(1, (now - device.droppedAtNanos()) / 1_000));
        }
        listener.authenticated(device);
    }

    @Override
    public void message(SimulatedDevice device, MessageFrame message, long receivedMicros) {
        listener.message(device, message, receivedMicros);
    }

    @Override
    public void ack(SimulatedDevice device, AckFrame ack, long receivedNanos) {
        listener.ack(device, ack, receivedNanos);
    }

    @Override
    public void disconnected(SimulatedDevice device) {
        online.decrementAndGet();
        listener.disconnected(device);
        if (reconnect != ReconnectMode.NEVER) {
            // The wait a draining gateway's RECONNECT notice asked for, as the SDK honours it, plus a little jitter,
            // like real devices: without it every device would log in in the same millisecond.
            retryLater(device, device.takeAskedDelayMillis() + ThreadLocalRandom.current().nextInt(100));
        }
    }

    @Override
    public void close() {
        closed = true;
        driver.interrupt();
        try {
            driver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnectAll(TimeUnit.SECONDS.toNanos(10));
    }
}
