package io.herald.bench.scenario;

import io.herald.bench.cluster.ClusterProbe;
import io.herald.bench.cluster.ClusterProbe.GatewaySample;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.report.Figures;
import io.herald.bench.server.ProcessMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hold phase of {@code bench scale}: what the connected fleet costs each part of the cluster while it only
 * heartbeats. Per gateway: heap after a full GC, Netty direct memory and RSS, each against the same gateway before
 * the devices connected and divided by the devices it holds, and its CPU while holding; Redis's memory per session
 * ({@code used_memory} after - before, ÷ devices online); the CPU of ZooKeeper, Redis, Kafka, the archiver and each
 * API node while holding (their idle cost: no login, no push in that minute).
 */
final class ScaleHold {
    private static final List<String> SERVICES = List.of("zookeeper", "redis", "kafka", "archiver");

    private final ClusterProbe probe;
    private List<GatewaySample> empty;
    private long redisBefore;

    ScaleHold(ClusterProbe probe) {
        this.probe = probe;
    }

    /** Before the devices connect: every gateway after a full GC, and Redis. */
    void before() {
        empty = probe.gateways(true);
        redisBefore = probe.redisUsedMemory();
    }

    /** Holds the fleet for {@code nanos} and measures; the figures of the phase. */
    Map<String, Object> hold(SimulatedFleet fleet, long nanos) {
        List<String> components = new ArrayList<>(SERVICES);
        components.addAll(probe.cluster().apiNodes());
        Map<String, Long> ticksBefore = new LinkedHashMap<>();
        components.forEach(c -> ticksBefore.put(c, probe.cpuTicks(c)));
        List<GatewaySample> start = probe.gateways(false);
        long startNanos = System.nanoTime();
        int minOnline = fleet.holdFor(nanos);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        List<GatewaySample> end = probe.gateways(false);
        Map<String, Object> cpu = new LinkedHashMap<>();
        components.forEach(c -> cpu.put(c, cores(ticksBefore.get(c), probe.cpuTicks(c), seconds)));
        // After the CPU window: a full GC is work of its own.
        List<GatewaySample> held = probe.gateways(true);
        long redisAfter = probe.redisUsedMemory();
        int online = fleet.online();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("devicesOnline", online);
        figures.put("minOnlineWhileHolding", minOnline);
        figures.put("heldSeconds", Figures.round(seconds));
        long devicesOnGateways = 0;
        double gatewayCores = 0;
        long heapGrowth = 0;
        long rssGrowth = 0;
        List<Map<String, Object>> gateways = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            GatewaySample after = held.get(i);
            GatewaySample before = empty.get(i);
            long devices = after.up() ? (long) after.connections() : 0;
            devicesOnGateways += devices;
            double cores = cores(start.get(i).cpuTicks(), end.get(i).cpuTicks(), seconds);
            gatewayCores += Math.max(0, cores);
            heapGrowth += (long) (after.heapBytes() - before.heapBytes());
            rssGrowth += after.rssBytes() - before.rssBytes();
            Map<String, Object> gateway = new LinkedHashMap<>(after.toMap());
            gateway.put("gateway", "gateway-" + after.gateway());
            gateway.put("heapPerDeviceBytes", per(after.heapBytes() - before.heapBytes(), devices));
            gateway.put("directPerDeviceBytes", per(after.directBytes() - before.directBytes(), devices));
            gateway.put("rssPerDeviceBytes", per(after.rssBytes() - before.rssBytes(), devices));
            gateway.put("cpuCoresHolding", cores);
            gateways.add(gateway);
        }
        figures.put("devicesOnGateways", devicesOnGateways);
        figures.put("heapPerDeviceBytes", per(heapGrowth, devicesOnGateways));
        figures.put("rssPerDeviceBytes", per(rssGrowth, devicesOnGateways));
        figures.put("gatewaysCpuCoresHolding", Figures.round(gatewayCores));
        figures.put("gatewayCpuMicrosPerDeviceSecond", devicesOnGateways == 0 ? -1
                : Figures.round(gatewayCores * 1e6 / devicesOnGateways));
        figures.put("redisUsedMemoryBeforeBytes", redisBefore);
        figures.put("redisUsedMemoryHeldBytes", redisAfter);
        figures.put("redisBytesPerSession", per(redisAfter - redisBefore, online));
        figures.put("idleCpuCores", cpu);
        figures.put("gateways", gateways);
        return figures;
    }

    /** The devices each gateway holds now (gateway 1 first). */
    long[] spread() {
        return probe.settledConnections();
    }

    private static double cores(Long ticksBefore, long ticksAfter, double seconds) {
        if (ticksBefore == null || ticksBefore < 0 || ticksAfter < 0 || seconds <= 0) {
            return -1;
        }
        return Figures.round((ticksAfter - ticksBefore) / ProcessMetrics.TICKS_PER_SECOND / seconds);
    }

    private static long per(double bytes, long devices) {
        return devices <= 0 || Double.isNaN(bytes) ? -1 : Math.round(bytes / devices);
    }
}
