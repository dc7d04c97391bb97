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

/** {@code bench hold}: N authenticated devices stay connected and heartbeat; what does each cost the server? */
@Command(name = "hold", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N devices connect, then stay connected and heartbeat for a while.",
                "Reports the server's heap after GC, Netty direct memory and RSS per connection (delta against "
                        + "before connecting, divided by N) and its CPU use while holding. After the devices "
                        + "disconnect, the heap they left behind (caches their logins and connects filled), so that "
                        + "the heap the connections themselves held can be told from it."})
final class HoldScenario extends Scenario {
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final int GROWTH_CLASSES = 60;
    /** How long the server may take to see every device gone before the heap left behind is measured anyway. */
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(15);

    @Option(names = "--devices", defaultValue = "19000", description = "Devices to hold (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--hold", defaultValue = "20s",
            description = "How long the devices stay connected after all are online (default: ${DEFAULT-VALUE}).")
    String hold;

    @Option(names = "--connect-timeout", defaultValue = "45s",
            description = "Longest wait for all devices to be online (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Override
    int devices() {
        return devices;
    }

    /** The classes whose live bytes grew most while connecting, in bytes per connection: where the heap goes. */
    private static Map<String, Long> growthPerConnection(Map<String, Long> before, Map<String, Long> after, int n) {
        Map<String, Long> growth = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(GROWTH_CLASSES)
                .forEach(e -> growth.put(e.getKey(), Math.round((double) e.getValue() / n)));
        return growth;
    }

    @Override
    void run(Report report, DeviceSimulator simulator) {
        try (HeraldTarget herald = HeraldTarget.open(common, workDir, spec.name(), report);
             SimulatedFleet fleet = simulatedFleet(herald, simulator, "hold-", devices, 0)) {
            ServerProbe before = herald.probe(true);
            Map<String, Long> classesBefore = herald.pid() > 0 ? ProcessMetrics.classHistogram(herald.pid()) : Map.of();
            DeviceFleet.ConnectResult connected = fleet.connectAll(bounded(Durations.parse(connectTimeout)));
            LockSupport.parkNanos(bounded(SETTLE));
            ServerProbe loaded = herald.probe(true);
            Map<String, Long> classesLoaded = herald.pid() > 0 ? ProcessMetrics.classHistogram(herald.pid()) : Map.of();
            herald.measuring();
            long holdStart = System.nanoTime();
            long ticksStart = ProcessMetrics.cpuTicks(herald.pid());
            int minOnline = fleet.holdFor(bounded(Durations.parse(hold)));
            double heldSeconds = (System.nanoTime() - holdStart) / 1e9;
            long ticksEnd = ProcessMetrics.cpuTicks(herald.pid());
            ServerProbe after = herald.probe(false);
            int n = Math.max(1, connected.online());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("devices", devices);
            figures.put("online", connected.online());
            figures.put("minOnlineWhileHolding", minOnline);
            figures.put("serverConnectionsGauge", (long) after.connections());
            figures.put("connectsPerSecond", Figures.round(connected.connectsPerSecond()));
            // With --api the probed process is the one behind that URL: a cluster's API node holds none of the
            // devices, so its memory says nothing about theirs (-1: not measured) and the targets count as missed.
            boolean holdsThem = holdsTheFleet(loaded, connected.online());
            figures.put("heapPerConnectionBytes", holdsThem ? Math.round((loaded.heapBytes() - before.heapBytes()) / n)
                    : -1L);
            figures.put("directPerConnectionBytes", holdsThem
                    ? Math.round((loaded.directBytes() - before.directBytes()) / n) : -1L);
            figures.put("rssPerConnectionBytes", !holdsThem || loaded.rssBytes() < 0 ? -1
                    : (loaded.rssBytes() - before.rssBytes()) / n);
            figures.put("heldSeconds", Figures.round(heldSeconds));
            double cores = ticksStart < 0 ? -1 : (ticksEnd - ticksStart) / ProcessMetrics.TICKS_PER_SECOND / heldSeconds;
            figures.put("serverCpuCores", Figures.round(cores));
            figures.put("serverCpuPercentOfMachine",
                    Figures.round(cores * 100 / Runtime.getRuntime().availableProcessors()));
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("before", before.toMap());
            server.put("connectedAfterGc", loaded.toMap());
            server.put("end", after.toMap());
            figures.put("server", server);
            if (!classesLoaded.isEmpty()) {
                report.server("heapGrowthPerConnectionByClass", growthPerConnection(classesBefore, classesLoaded, n));
            }
            report.add(new Run("hold " + devices + " devices", figures, null,
                    List.of("heapPerConnectionBytes", "directPerConnectionBytes", "rssPerConnectionBytes")));
            long heap = (long) figures.get("heapPerConnectionBytes");
            long rss = (long) figures.get("rssPerConnectionBytes");
            report.target("19,000 authenticated connections held", minOnline + " online throughout",
                    minOnline >= 19_000);
            report.target("<= 2.5 KB heap per connection", heap < 0 ? "not measured" : heap + " B",
                    heap >= 0 && heap <= 2_560);
            report.target("<= 8 KB RSS per connection", rss + " B", rss >= 0 && rss <= 8_192);
            report.note("heap = jvm_memory_used_bytes{area=heap} after jcmd GC.run, before and after connecting; "
                    + "RSS = VmRSS; CPU = utime+stime ticks of the server process while holding");
            if (!holdsThem) {
                report.note("the measured server (" + (long) loaded.connections() + " connections in its /metrics) does"
                        + " not hold the " + connected.online() + " devices, as a cluster's API node does not: memory"
                        + " per connection is not measured (-1); measure the gateways' processes instead");
            }
            if (herald.pid() < 0) {
                report.note("running server without --server-pid: RSS and CPU are unavailable (-1), heap is measured "
                        + "without a forced GC");
            }
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
            if (holdsThem) {
                keptAfterDisconnect(report, herald, figures, before, loaded, classesBefore, n);
            }
        }
    }

    /** Whether the probed process holds (nearly) every device: its memory growth is then theirs. */
    static boolean holdsTheFleet(ServerProbe loaded, int online) {
        return online > 0 && loaded.connections() >= online * 0.9;
    }

    /**
     * The heap still held once every device has gone: what the logins and connects filled that is not a connection
     * (the API's verified-secret cache, the store's row cache, maps pre-sized for a fleet), which the 0 → N difference
     * above counts too. {@code heapPerConnectionNetBytes} is the connected heap minus this, ÷ N.
     */
    private void keptAfterDisconnect(Report report, HeraldTarget herald, Map<String, Object> figures,
                                     ServerProbe before, ServerProbe loaded, Map<String, Long> classesBefore, int n) {
        long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
        while (herald.probe(false).connections() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        LockSupport.parkNanos(bounded(SETTLE)); // the closed sessions' hand-offs to the store complete
        ServerProbe gone = herald.probe(true);
        figures.put("heapKeptAfterDisconnectPerDeviceBytes", Math.round((gone.heapBytes() - before.heapBytes()) / n));
        figures.put("heapPerConnectionNetBytes", Math.round((loaded.heapBytes() - gone.heapBytes()) / n));
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) figures.get("server");
        server.put("disconnectedAfterGc", gone.toMap());
        if (herald.pid() > 0) {
            report.server("heapKeptAfterDisconnectPerDeviceByClass",
                    growthPerConnection(classesBefore, ProcessMetrics.classHistogram(herald.pid()), n));
        }
    }
}
