package io.herald.bench.scenario;

import io.herald.bench.report.Report;
import io.herald.bench.sim.DeviceSimulator;
import picocli.CommandLine.Command;

/**
 * {@code bench mqtt-fanout}: {@code broadcast}'s rounds with MQTT devices: on Mosquitto one publish to a topic every
 * device subscribes to, on Herald one broadcast through the HTTP API.
 */
@Command(name = "mqtt-fanout", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N connected MQTT 5 devices, R rounds of one message to all (one at a time). Mosquitto: a "
                + "backend MQTT client publishes to a topic every device subscribes to; Herald: POST /api/v1/push "
                + "without a target (broadcast), delivered on each device's own topic.",
                "Reports deliveries/s, time for a round to reach 99%% and 100%% of the devices, latency and server "
                        + "CPU per delivery, for Herald and Mosquitto (the 'baseline' column), and their ratio."})
final class MqttFanOutScenario extends BroadcastScenario {

    @Override
    boolean mqtt() {
        return true;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) throws Exception {
        super.run(report, simulator);
        report.note("acceptedOnline: Mosquitto does not say how many subscribers a publish reached (0 = unknown)");
        MqttTargets.describe(report);
    }
}
