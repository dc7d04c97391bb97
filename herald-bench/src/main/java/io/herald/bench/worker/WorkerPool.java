package io.herald.bench.worker;

import io.herald.bench.fleet.DeviceFleet.ConnectResult;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.sim.DeviceLink;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A fleet spread over worker JVMs ({@code bench worker}), for fleets larger than one process's open-file limit.
 * Each worker simulates a disjoint slice of the device ids from its own range of source addresses; the pool sends
 * every worker the same command at once and merges the answers: counts are summed, histograms added. Every
 * worker is killed when the pool closes, or by a shutdown hook if the bench exits first.
 */
public final class WorkerPool implements SimulatedFleet {
    /** Start-up of a worker JVM and its simulator; generous for a loaded machine. */
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Beyond a command's own timeout: time for the worker to count, encode and answer. */
    private static final long ANSWER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);

    /**
     * @param devices           the whole fleet: ids {@code prefix000000} .. are registered by the caller
     * @param sourceAddresses   loopback source addresses per worker; worker i uses the i-th range of them
     * @param concurrency       login+connect attempts in flight across all workers
     * @param rate              attempts per second across all workers; 0 for no pacing
     * @param link              how the devices connect (transport, TLS trust)
     */
    public record Plan(URI api, String apiKey, String prefix, int devices, int processes, int sourceAddresses,
                       int ioThreads, int concurrency, double rate, long hardDeadlineNanos, DeviceLink.Settings link) {
        public Plan {
            checkSourceAddresses(processes, sourceAddresses);
        }

        int first(int worker) {
            return worker * (devices / processes) + Math.min(worker, devices % processes);
        }

        int count(int worker) {
            return devices / processes + (worker < devices % processes ? 1 : 0);
        }
    }

    /** Each worker needs a range of its own in 127.0.0.1..254; checked before anything starts. */
    public static void checkSourceAddresses(int processes, int sourceAddresses) {
        if (processes > 1 && processes * sourceAddresses > 254) {
            throw new IllegalArgumentException(processes + " processes x " + sourceAddresses
                    + " source addresses exceed the 254 addresses of 127.0.0.x; lower --source-addresses");
        }
    }

    /** Copy-on-write: the shutdown hook may read it while {@link #start} still adds workers. */
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "bench-worker-reaper");
    private final long hardDeadlineNanos;

    private WorkerPool(long hardDeadlineNanos) {
        this.hardDeadlineNanos = hardDeadlineNanos;
    }

    /** Starts the workers and waits until every one has its slice ready (not yet connected). */
    public static WorkerPool start(Plan plan) {
        WorkerPool pool = new WorkerPool(plan.hardDeadlineNanos());
        Runtime.getRuntime().addShutdownHook(pool.killOnExit);
        try {
            for (int i = 0; i < plan.processes(); i++) {
                pool.workers.add(WorkerProcess.start(i, command(plan, i)));
            }
            long deadline = Math.min(plan.hardDeadlineNanos(), System.nanoTime() + READY_TIMEOUT_NANOS);
            pool.workers.forEach(w -> w.await(WorkerMessages.READY, deadline));
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public ConnectResult connectAll(long timeoutNanos) {
        workers.forEach(w -> w.send(WorkerMessages.CONNECT + " " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        long deadline = answerDeadline(timeoutNanos);
        int requested = 0;
        int online = 0;
        long failed = 0;
        long elapsed = 0;
        Histogram merged = new Histogram(3);
        String lastError = null;
        for (WorkerProcess worker : workers) {
            ConnectResult result = WorkerMessages.connectResult(worker.await(WorkerMessages.CONNECTED, deadline));
            requested += result.requested();
            online += result.online();
            failed += result.failedAttempts();
            // The workers start together, so the fleet is all online when the slowest worker is.
            elapsed = Math.max(elapsed, result.elapsedNanos());
            merged.add(result.loginToAuthOkMicros());
            lastError = result.lastError() != null ? result.lastError() : lastError;
        }
        return new ConnectResult(requested, online, failed, elapsed, merged, lastError);
    }

    /** The sum of each worker's fewest online: a lower bound of the fleet's fewest, exact when nothing drops. */
    @Override
    public int holdFor(long nanos) {
        workers.forEach(w -> w.send(WorkerMessages.HOLD + " " + TimeUnit.NANOSECONDS.toMillis(nanos)));
        long deadline = answerDeadline(nanos);
        int minOnline = 0;
        for (WorkerProcess worker : workers) {
            minOnline += worker.await(WorkerMessages.HELD, deadline).path("minOnline").asInt();
        }
        return minOnline;
    }

    @Override
    public void disconnectAll(long timeoutNanos) {
        workers.forEach(w -> w.send(WorkerMessages.STOP));
        long deadline = System.nanoTime() + timeoutNanos + ANSWER_GRACE_NANOS;
        workers.forEach(w -> w.await(WorkerMessages.STOPPED, deadline));
    }

    @Override
    public List<Long> pids() {
        return workers.stream().map(WorkerProcess::pid).toList();
    }

    public int processes() {
        return workers.size();
    }

    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it kills the workers anyway.
        }
    }

    private void killAll() {
        workers.forEach(WorkerProcess::kill);
    }

    private long answerDeadline(long timeoutNanos) {
        return Math.min(hardDeadlineNanos, System.nanoTime() + timeoutNanos) + ANSWER_GRACE_NANOS;
    }

    private static List<String> command(Plan plan, int worker) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.herald.bench.BenchMain", "worker",
                "--api", plan.api().toString(), "--api-key", plan.apiKey(), "--prefix", plan.prefix(),
                "--first", Integer.toString(plan.first(worker)), "--count", Integer.toString(plan.count(worker)),
                "--first-source", Integer.toString(1 + worker * plan.sourceAddresses()),
                "--source-addresses", Integer.toString(plan.sourceAddresses()),
                "--io-threads", Integer.toString(plan.ioThreads()),
                // Shared out so that the server sees the same load in flight as from one process.
                "--concurrency", Integer.toString(Math.max(1, plan.concurrency() / plan.processes())),
                "--rate", Double.toString(plan.rate() / plan.processes()),
                "--time-limit-millis", Long.toString(Math.max(1,
                        TimeUnit.NANOSECONDS.toMillis(plan.hardDeadlineNanos() - System.nanoTime())))));
        command.addAll(plan.link().toArgs());
        return command;
    }
}
