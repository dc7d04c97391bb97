package io.herald.bench.scenario;

import io.herald.bench.push.MqttPusher;
import io.herald.bench.report.Report;
import io.herald.bench.server.MosquittoProcess;
import java.nio.file.Path;
import java.util.List;

/**
 * The two sides of every MQTT scenario, and what the scenarios share: Herald started with {@code --mqtt-port} and
 * the Mosquitto broker, driven by the same MQTT 5 devices ({@link io.herald.bench.sim.DeviceProtocol#MQTT}) in the
 * bench process over plain TCP. The broker is the "baseline" column of the report.
 */
final class MqttTargets {
    private MqttTargets() {
    }

    /** Refuses what the MQTT scenarios do not do: TLS, WebSocket, a running server, worker processes. */
    static void check(CommonOptions common, int processCount, String scenario) {
        if (common.tls || common.tlsTrust != null || !"tcp".equalsIgnoreCase(common.transport.trim())) {
            throw new IllegalArgumentException(scenario + " connects its MQTT devices over plain TCP: no --tls, "
                    + "--tls-trust or --transport ws");
        }
        if (common.api != null) {
            throw new IllegalArgumentException(scenario + " starts its own Herald server (with --mqtt-port): no --api");
        }
        if (processCount != 1) {
            throw new IllegalArgumentException(scenario + " simulates its MQTT devices in this process: --processes 1"
                    + " (up to the open-file limit)");
        }
    }

    static HeraldTarget herald(CommonOptions common, Path workDir, String scenario, Report report) {
        return HeraldTarget.openMqtt(common, workDir, scenario, report);
    }

    static MosquittoTarget mosquitto(Path workDir, List<String> clientIds, Report report) {
        MosquittoTarget target = MosquittoTarget.open(workDir, clientIds);
        report.server("baseline", MosquittoProcess.version() + ": " + target.commandLine());
        return target;
    }

    /** What every MQTT report says about the two sides, so no reader takes the paths for the same. */
    static void describe(Report report) {
        report.note("baseline = the Mosquitto broker (" + MosquittoProcess.version() + "), started by the bench on a "
                + "private port with a password file, persistence on and max_inflight_messages "
                + MosquittoProcess.MAX_INFLIGHT + " (Herald's --max-inflight); the same MQTT 5 device client on both "
                + "sides (CONNECT with client id and secret, clean start 0, SUBSCRIBE QoS 1, PUBACK at once)");
        report.note("the paths differ: Herald's backend pushes through its HTTP API (POST /api/v1/push), and a QoS 1 "
                + "push is written to its durable store before it is sent; Mosquitto's backend is an MQTT client "
                + "publishing to the device's topic (" + MqttPusher.CONNECTIONS
                + " connections), and Mosquitto keeps QoS 1 messages in memory (its persistence writes at exit and "
                + "every autosave_interval)");
    }
}
