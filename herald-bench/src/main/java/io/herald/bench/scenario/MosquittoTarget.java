package io.herald.bench.scenario;

import io.herald.bench.fleet.GatewayLogin;
import io.herald.bench.fleet.HeraldLogin;
import io.herald.bench.fleet.MqttLogin;
import io.herald.bench.push.MqttPusher;
import io.herald.bench.push.Pusher;
import io.herald.bench.server.MosquittoProcess;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.worker.WorkerLogin;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Mosquitto broker as the MQTT scenarios' reference, in its own process like Herald: the devices connect to it
 * with the same MQTT client and credentials as to Herald, and the backend publishes to their topics over MQTT
 * ({@link MqttPusher}) where Herald's goes through its HTTP push API.
 */
final class MosquittoTarget implements Target {
    /** The backend publisher's user name (its connections' client ids add a number). */
    private static final String BACKEND = "bench-backend";

    private final MosquittoProcess broker;

    private MosquittoTarget(MosquittoProcess broker) {
        this.broker = broker;
    }

    /** Starts a private broker whose password file knows {@code clientIds} (and the backend), each with its secret. */
    static MosquittoTarget open(Path workDir, List<String> clientIds) {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(BACKEND, HeraldLogin.secretOf(BACKEND));
        clientIds.forEach(id -> passwords.put(id, HeraldLogin.secretOf(id)));
        return new MosquittoTarget(MosquittoProcess.start(workDir, passwords));
    }

    @Override
    public String name() {
        return "mosquitto";
    }

    @Override
    public void prepare(List<String> clientIds, int concurrency, long deadlineNanos) {
        // The password file written at start knows every device.
    }

    @Override
    public GatewayLogin login() {
        return new MqttLogin(broker.address());
    }

    @Override
    public WorkerLogin workerLogin() {
        throw new IllegalStateException("MQTT devices are simulated in the bench process only (--processes 1)");
    }

    @Override
    public Pusher pusher(DeviceSimulator simulator) {
        return new MqttPusher(simulator.group(), simulator.transport(), broker.address(), BACKEND,
                HeraldLogin.secretOf(BACKEND));
    }

    @Override
    public long pid() {
        return broker.pid();
    }

    String commandLine() {
        return broker.commandLine();
    }

    @Override
    public void close() {
        broker.close();
    }
}
