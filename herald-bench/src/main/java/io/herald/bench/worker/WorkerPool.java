package io.herald.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.DeviceFleet.ConnectResult;
import io.herald.bench.fleet.FleetSlice;
import io.herald.bench.fleet.FleetStatus;
import io.herald.bench.fleet.Receipts;
import io.herald.bench.fleet.ReconnectMode;
import io.herald.bench.fleet.RoundReceipts;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.fleet.UpstreamPlan;
import io.herald.bench.fleet.UpstreamResult;
import io.herald.bench.sim.DeviceLink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;

/**
 * A fleet spread over worker JVMs ({@code bench worker}), for fleets larger than one process's open-file limit.
 * Each worker simulates a disjoint slice of the device ids from its own range of source addresses as a
 * {@link FleetSlice}; the pool sends every worker the same command at once and merges the answers with the result
 * types' own {@code merge}: counts summed, histograms added, so every figure is the fleet's exactly. Every worker
 * is killed when the pool closes, or by a shutdown hook if the bench exits first.
 */
public final class WorkerPool implements SimulatedFleet {
    /** Start-up of a worker JVM and its simulator; generous for a loaded machine. */
    /**
     * How long the workers may take to start, a minute plus 10 s for each: 14 JVMs starting together on two busy
     * cores took over a minute (the 200,000-device run's first try failed on a flat minute).
     */
    private static long readyTimeoutNanos(int processes) {
        return TimeUnit.SECONDS.toNanos(60 + 10L * processes);
    }
    /** Beyond a command's own timeout: time for the worker to count, encode and answer. */
    private static final long ANSWER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);

    /**
     * @param login             how the devices log in: the target's API, or the baseline's address
     * @param devices           the whole fleet: ids {@code prefix000000} .. are registered by the caller
     * @param sourceAddresses   loopback source addresses per worker; worker i uses the i-th range of them
     * @param concurrency       login+connect attempts in flight across all workers
     * @param rate              attempts per second across all workers; 0 for no pacing
     * @param link              how the devices connect (transport, TLS trust)
     */
    public record Plan(WorkerLogin login, String prefix, int devices, int processes, int sourceAddresses,
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
    private final Plan plan;

    private WorkerPool(Plan plan) {
        this.plan = plan;
    }

    /** Starts the workers and waits until every one has its slice ready (not yet connected). */
    public static WorkerPool start(Plan plan) {
        WorkerPool pool = new WorkerPool(plan);
        Runtime.getRuntime().addShutdownHook(pool.killOnExit);
        try {
            for (int i = 0; i < plan.processes(); i++) {
                pool.workers.add(WorkerProcess.start(i, command(plan, i)));
            }
            long deadline = Math.min(plan.hardDeadlineNanos(), System.nanoTime() + readyTimeoutNanos(plan.processes()));
            pool.workers.forEach(w -> w.await(WorkerMessages.READY, deadline));
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public ConnectResult connectAll(long timeoutNanos) {
        int requested = 0;
        int online = 0;
        long failed = 0;
        long elapsed = 0;
        Histogram merged = new Histogram(3);
        String lastError = null;
        for (ConnectResult result : ask(WorkerMessages.CONNECT + " " + millis(timeoutNanos), timeoutNanos,
                WorkerMessages::connectResult)) {
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
        return sum(WorkerMessages.HOLD + " " + millis(nanos), nanos);
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

    @Override
    public List<String> clientIds() {
        return DeviceFleet.clientIds(plan.prefix(), plan.devices());
    }

    @Override
    public int online() {
        return sum(WorkerMessages.ONLINE, 0);
    }

    @Override
    public int beginRound(int tag) {
        return sum(WorkerMessages.ROUND_BEGIN + " " + tag, 0);
    }

    @Override
    public RoundReceipts awaitRound(int tag, long timeoutNanos) {
        return RoundReceipts.merge(ask(WorkerMessages.ROUND_AWAIT + " " + tag + " " + millis(timeoutNanos),
                timeoutNanos, WorkerMessages::round));
    }

    @Override
    public void beginReceipts(int tag) {
        ask(WorkerMessages.RECEIPTS_BEGIN + " " + tag, 0, answer -> answer);
    }

    @Override
    public Receipts receipts(int tag, boolean histograms) {
        return Receipts.merge(ask(WorkerMessages.RECEIPTS + " " + tag + " " + histograms, 0,
                WorkerMessages::receipts));
    }

    @Override
    public long[] receivedIds(int tag) {
        return ask(WorkerMessages.RECEIPT_IDS + " " + tag, 0, WorkerMessages::receiptIds).stream()
                .flatMapToLong(LongStream::of).toArray();
    }

    /** Each worker sends its share of the rate with its share of the in-flight bound, all at once. */
    @Override
    public UpstreamResult sendUpstream(UpstreamPlan upstream) {
        UpstreamPlan share = upstream.share(workers.size());
        String command = String.join(" ", WorkerMessages.UPSTREAM, Double.toString(share.ratePerSecond()),
                millis(share.durationNanos()), share.type().label(), Integer.toString(share.maxInFlight()),
                millis(share.drainNanos()));
        return UpstreamResult.merge(ask(command, share.durationNanos() + share.drainNanos(),
                WorkerMessages::upstream));
    }

    @Override
    public void reconnectOnDrop(ReconnectMode mode) {
        ask(WorkerMessages.RECONNECT_ON_DROP + " " + mode.name(), 0, answer -> answer);
    }

    @Override
    public void markBack() {
        ask(WorkerMessages.MARK_BACK, 0, answer -> answer);
    }

    @Override
    public FleetStatus status() {
        return FleetStatus.merge(ask(WorkerMessages.STATUS, 0, WorkerMessages::status));
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

    /**
     * Sends the command to every worker at once, then reads each one's answer (its event is the command's first
     * word), waiting at most the command's own {@code timeoutNanos} plus a grace for counting and encoding.
     */
    private <T> List<T> ask(String command, long timeoutNanos, Function<JsonNode, T> read) {
        workers.forEach(w -> w.send(command));
        String event = command.split(" ", 2)[0];
        long deadline = Math.min(plan.hardDeadlineNanos(), System.nanoTime() + timeoutNanos) + ANSWER_GRACE_NANOS;
        List<T> answers = new ArrayList<>(workers.size());
        for (WorkerProcess worker : workers) {
            answers.add(read.apply(worker.await(event, deadline)));
        }
        return answers;
    }

    private int sum(String command, long timeoutNanos) {
        return ask(command, timeoutNanos, answer -> answer.path("value").asInt()).stream()
                .mapToInt(Integer::intValue).sum();
    }

    private static String millis(long nanos) {
        return Long.toString(TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    private void killAll() {
        workers.forEach(WorkerProcess::kill);
    }

    private static List<String> command(Plan plan, int worker) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.herald.bench.BenchMain", "worker"));
        command.addAll(plan.login().toArgs());
        command.addAll(List.of("--prefix", plan.prefix(),
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
