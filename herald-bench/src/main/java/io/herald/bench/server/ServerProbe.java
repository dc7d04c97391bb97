package io.herald.bench.server;

import io.herald.bench.http.HeraldApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One look at a Herald server's resources: heap used and Netty direct memory from its {@code /metrics}, RSS and
 * CPU ticks from {@code /proc} when the server is a local process the bench knows the pid of.
 */
public record ServerProbe(double heapBytes, double directBytes, long rssBytes, long cpuTicks, double connections) {

    /** @param pid the server's process id, or -1 for a server the bench did not start (no /proc figures) */
    public static ServerProbe take(HeraldApi api, long pid, boolean fullGcFirst) {
        if (fullGcFirst && pid > 0) {
            ProcessMetrics.fullGc(pid);
        }
        String metrics;
        try {
            metrics = api.metrics().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the server's /metrics", e);
        }
        return new ServerProbe(PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""),
                PrometheusText.sum(metrics, "herald_netty_direct_memory_used_bytes", null),
                pid > 0 ? ProcessMetrics.rssBytes(pid) : -1, pid > 0 ? ProcessMetrics.cpuTicks(pid) : -1,
                PrometheusText.sum(metrics, "herald_connections", null));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("heapBytes", (long) heapBytes);
        map.put("directBytes", (long) directBytes);
        map.put("rssBytes", rssBytes);
        map.put("connections", (long) connections);
        return map;
    }
}
