package io.herald.bench.scenario;

import io.herald.bench.fleet.BaselineLogin;
import io.herald.bench.fleet.GatewayLogin;
import io.herald.bench.push.BaselinePusher;
import io.herald.bench.push.Pusher;
import io.herald.bench.server.BaselineServerProcess;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.worker.WorkerLogin;
import java.nio.file.Path;
import java.util.List;

/** The ideal baseline as the system under test, in its own process like Herald. */
final class BaselineTarget implements Target {
    private final BaselineServerProcess server;

    private BaselineTarget(BaselineServerProcess server) {
        this.server = server;
    }

    static BaselineTarget open(CommonOptions options, Path workDir) {
        return new BaselineTarget(BaselineServerProcess.start(options.serverJvmArgs, options.serverIoThreads, workDir));
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public void prepare(List<String> clientIds, int concurrency, long deadlineNanos) {
        // The baseline knows no devices: any id is accepted as it connects.
    }

    @Override
    public GatewayLogin login() {
        return new BaselineLogin(server.address());
    }

    @Override
    public WorkerLogin workerLogin() {
        return WorkerLogin.baseline(server.address());
    }

    @Override
    public Pusher pusher(DeviceSimulator simulator) {
        return new BaselinePusher(simulator.group(), simulator.transport(), server.address());
    }

    @Override
    public long pid() {
        return server.pid();
    }

    @Override
    public void close() {
        server.close();
    }
}
