package io.herald.bench.scenario;

import io.herald.bench.report.Report;
import io.herald.bench.sim.DeviceSimulator;
import picocli.CommandLine.Command;

/**
 * {@code bench mqtt-p2p}: {@code p2p}'s runs with MQTT devices, on the Mosquitto broker (pushes published over MQTT)
 * and on Herald's MQTT listener (pushes through the HTTP API) in turn.
 */
@Command(name = "mqtt-p2p", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Point-to-point messages to N connected MQTT 5 devices in turn, for each QoS: at a fixed offered "
                + "rate, then as fast as possible with bounded in-flight requests. Mosquitto: a backend MQTT client "
                + "publishes to the device's topic; Herald: POST /api/v1/push.",
                "Reports delivered/s, push-to-receive latency, messages lost (accepted - received, deduplicated by "
                        + "the message-id User Property) or received twice and server CPU per message, for Herald "
                        + "and Mosquitto (the 'baseline' column), and their ratio."})
final class MqttP2pScenario extends P2pScenario {

    @Override
    boolean mqtt() {
        return true;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) throws Exception {
        super.run(report, simulator);
        report.note("accepted: Herald = the push API's answer (after the durable store write for QoS 1); "
                + "Mosquitto = its PUBACK to the backend publisher (QoS 1) or the publish written (QoS 0)");
        report.note("latencyFromTimestampMs: MQTT carries no server time stamp, so it is latencyMs at ms resolution");
        MqttTargets.describe(report);
    }
}
