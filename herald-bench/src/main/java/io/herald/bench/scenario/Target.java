package io.herald.bench.scenario;

import io.herald.bench.fleet.GatewayLogin;
import io.herald.bench.push.Pusher;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.worker.WorkerLogin;
import java.util.List;

/** The system a run drives: Herald (started or running) or the ideal baseline. */
interface Target extends AutoCloseable {

    String name();

    /** Makes the devices known to the system (Herald: registration; baseline: nothing). */
    void prepare(List<String> clientIds, int concurrency, long deadlineNanos);

    GatewayLogin login();

    /** How worker processes log their devices in: the same way as {@link #login()}, told on their command line. */
    WorkerLogin workerLogin();

    Pusher pusher(DeviceSimulator simulator);

    /** The measured phase begins (devices are online): with --profile, Herald starts recording. */
    default void measuring() {
    }

    /** The server's process id, for CPU figures; -1 when unknown. */
    long pid();

    /** The processes whose CPU, summed, is the server's CPU figure: the server's own, or a cluster's every process. */
    default List<Long> cpuPids() {
        return List.of(pid());
    }

    @Override
    void close();
}
