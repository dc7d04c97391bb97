package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.server.CpuMeter;
import io.herald.bench.sim.DeviceSimulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench mqtt-connect}: N MQTT devices connect to Mosquitto, then to Herald's MQTT listener. */
@Command(name = "mqtt-connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N MQTT 5 devices connect (CONNECT with client id and secret, SUBSCRIBE) with bounded "
                + "concurrency (optionally paced), to the Mosquitto broker and to Herald's MQTT listener in turn.",
                "Reports connects/s, TCP-connect-to-SUBACK percentiles and server CPU per connect, both sides and "
                        + "their ratio (Herald / Mosquitto)."})
final class MqttConnectScenario extends ComparedScenario {
    private static final String PREFIX = "mqtt-connect-";

    @Option(names = "--devices", defaultValue = "5000", description = "Devices to connect (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "0",
            description = "Connect attempts per second; 0 = as fast as --concurrency allows (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    int devices() {
        return devices;
    }

    @Override
    boolean mqtt() {
        return true;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) {
        Map<String, Object> mosquitto = measuresBaseline()
                ? connect(idealBaseline(report, PREFIX), simulator)
                : null;
        Map<String, Object> herald = connect(herald(report), simulator);
        report.add(new Run("mqtt connect " + devices + " devices", herald, mosquitto, List.of("connectsPerSecond")));
        report.note("latency = from the TCP connect to the SUBACK (CONNECT, CONNACK, SUBSCRIBE, SUBACK)");
        MqttTargets.describe(report);
    }

    private Map<String, Object> connect(Target target, DeviceSimulator simulator) {
        try (target; SimulatedFleet fleet = simulatedFleet(target, simulator, PREFIX, devices, rate)) {
            target.measuring();
            CpuMeter serverCpu = CpuMeter.start(target.cpuPids());
            CpuMeter benchCpu = CpuMeter.start(fleet.pids());
            DeviceFleet.ConnectResult result = fleet.connectAll(bounded(parse(connectTimeout)));
            Map<String, Object> figures = ConnectScenario.figures(result, rate, serverCpu, benchCpu);
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
            return figures;
        }
    }
}
