package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.report.Figures;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.server.ProcessMetrics;
import io.herald.bench.server.ServerProbe;
import io.herald.bench.sim.DeviceSimulator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench mqtt-hold}: N idle MQTT devices stay connected; what does each cost Mosquitto and Herald? */
@Command(name = "mqtt-hold", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N MQTT 5 devices connect and stay connected (PINGREQ at their keepalive), on the Mosquitto "
                + "broker and on Herald's MQTT listener in turn.",
                "Reports the server's RSS per connection (both; delta against before connecting, divided by N), "
                        + "Herald's heap per connection after a full GC, and the server's CPU while holding."})
final class MqttHoldScenario extends ComparedScenario {
    private static final String PREFIX = "mqtt-hold-";
    private static final Duration SETTLE = Duration.ofSeconds(2);

    @Option(names = "--devices", defaultValue = "5000", description = "Devices to hold (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--hold", defaultValue = "20s",
            description = "How long the devices stay connected after all are online (default: ${DEFAULT-VALUE}).")
    String hold;

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
                ? hold(idealBaseline(report, PREFIX), null, simulator)
                : null;
        HeraldTarget herald = MqttTargets.herald(common, workDir, spec.name(), report);
        Map<String, Object> ours = hold(herald, herald, simulator);
        report.add(new Run("mqtt hold " + devices + " devices", ours, mosquitto,
                List.of("rssPerConnectionBytes", "heapPerConnectionBytes")));
        report.note("RSS = VmRSS of the server process, after the devices connected and a " + SETTLE.toSeconds()
                + " s settle, minus before (Herald: both after jcmd GC.run); heap = Herald's "
                + "jvm_memory_used_bytes{area=heap} after jcmd GC.run; CPU = utime+stime while holding");
        report.note("Herald's RSS moves with how much heap the JVM has committed, which a GC may grow or give back:"
                + " run Herald with a fixed, pre-touched heap (--server-jvm-args \"-Xms1g -Xmx1g -XX:+UseG1GC"
                + " -XX:+AlwaysPreTouch\") and its RSS per connection is what the connections hold outside the heap;"
                + " heap + RSS per connection is then what each costs Herald, to set against Mosquitto's RSS");
        MqttTargets.describe(report);
    }

    /** @param herald the same target when it is Herald (heap is measured), or null */
    private Map<String, Object> hold(Target target, HeraldTarget herald, DeviceSimulator simulator) {
        try (target; SimulatedFleet fleet = simulatedFleet(target, simulator, PREFIX, devices, 0)) {
            ServerProbe before = herald == null ? null : herald.probe(true);
            long rssBefore = ProcessMetrics.rssBytes(target.pid());
            DeviceFleet.ConnectResult connected = fleet.connectAll(bounded(parse(connectTimeout)));
            LockSupport.parkNanos(bounded(SETTLE));
            ServerProbe loaded = herald == null ? null : herald.probe(true);
            long rssLoaded = ProcessMetrics.rssBytes(target.pid());
            target.measuring();
            long holdStart = System.nanoTime();
            long ticksStart = ProcessMetrics.cpuTicks(target.pid());
            int minOnline = fleet.holdFor(bounded(parse(hold)));
            double heldSeconds = (System.nanoTime() - holdStart) / 1e9;
            long ticksEnd = ProcessMetrics.cpuTicks(target.pid());
            int n = Math.max(1, connected.online());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("devices", devices);
            figures.put("online", connected.online());
            figures.put("minOnlineWhileHolding", minOnline);
            figures.put("connectsPerSecond", Figures.round(connected.connectsPerSecond()));
            figures.put("rssPerConnectionBytes", rssBefore < 0 || rssLoaded < 0 ? -1 : (rssLoaded - rssBefore) / n);
            figures.put("rssBytes", rssLoaded);
            if (herald != null) {
                figures.put("heapPerConnectionBytes", Math.round((loaded.heapBytes() - before.heapBytes()) / n));
                figures.put("directPerConnectionBytes", Math.round((loaded.directBytes() - before.directBytes()) / n));
            }
            figures.put("heldSeconds", Figures.round(heldSeconds));
            figures.put("serverCpuCores", ticksStart < 0 || ticksEnd < 0 ? -1
                    : Figures.round((ticksEnd - ticksStart) / ProcessMetrics.TICKS_PER_SECOND / heldSeconds));
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
            return figures;
        }
    }
}
