package io.herald.bench.cluster;

import io.herald.bench.server.PrometheusText;
import io.herald.bench.server.ProcessMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks at a running {@link LocalCluster} from outside, as an operator would: each gateway's ops {@code /metrics}
 * (connections, heap, Netty direct memory) and {@code /proc/<pid>} (RSS, CPU), Redis's {@code INFO memory}, and the
 * CPU of any component by its pid file.
 */
public final class ClusterProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** An INFO answer is a few KB; more is not Redis. */
    private static final int MAX_INFO_BYTES = 1 << 20;

    /** One gateway at one moment; NaN figures when its /metrics did not answer (down), -1 when /proc had none. */
    public record GatewaySample(int gateway, long pid, double connections, double heapBytes, double directBytes,
                                long rssBytes, long cpuTicks) {
        public boolean up() {
            return !Double.isNaN(connections);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("pid", pid);
            map.put("connections", up() ? (long) connections : null);
            map.put("heapBytes", up() ? (long) heapBytes : null);
            map.put("directBytes", up() ? (long) directBytes : null);
            map.put("rssBytes", rssBytes);
            return map;
        }
    }

    private static final int LIVE_GATEWAY_ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public ClusterProbe(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public LocalCluster cluster() {
        return cluster;
    }

    /** Every gateway of the layout, in order; with a full GC in each first when asked (heap after GC). */
    public List<GatewaySample> gateways(boolean fullGcFirst) {
        List<GatewaySample> samples = new ArrayList<>();
        for (int n = 1; n <= cluster.gateways(); n++) {
            long pid = cluster.pid("gateway-" + n);
            if (fullGcFirst && pid > 0) {
                ProcessMetrics.fullGc(pid);
            }
            String metrics = metrics(cluster.gatewayOpsPort(n));
            double connections = metrics == null ? Double.NaN : orZero(PrometheusText.sum(metrics, "herald_connections", null));
            double heap = metrics == null ? Double.NaN : PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
            double direct = metrics == null ? Double.NaN
                    : PrometheusText.sum(metrics, "herald_netty_direct_memory_used_bytes", null);
            samples.add(new GatewaySample(n, pid, connections, heap, direct,
                    pid > 0 ? ProcessMetrics.rssBytes(pid) : -1, pid > 0 ? ProcessMetrics.cpuTicks(pid) : -1));
        }
        return samples;
    }

    /** Devices connected to each gateway now (0 for a gateway that does not answer), gateway 1 first. */
    public long[] connections() {
        return connections(1);
    }

    /**
     * As {@link #connections()}, but a gateway whose process runs is asked up to {@value #LIVE_GATEWAY_ATTEMPTS}
     * times before it counts as empty: for figures read once (the spread after the connect phase), where a live
     * gateway on a saturated machine missing one scrape made "devices on every gateway" fail with "fewest 0" while
     * it held its 2,000 devices. The disruption polls use {@link #connections()}: they poll again anyway.
     */
    public long[] settledConnections() {
        return connections(LIVE_GATEWAY_ATTEMPTS);
    }

    /**
     * Device logins the API nodes have answered so far (every result), from their /metrics; -1 when one of them did
     * not answer. Read before and after a disruption: how many devices had to ask the API where to go.
     */
    public long logins() {
        long total = 0;
        for (String node : cluster.apiNodes()) {
            String metrics = metrics(cluster.apiHttpPort(node));
            if (metrics == null) {
                return -1;
            }
            total += (long) orZero(PrometheusText.sum(metrics, "herald_http_logins_total", null));
        }
        return total;
    }

    private long[] connections(int attemptsWhileAlive) {
        long[] counts = new long[cluster.gateways()];
        for (int n = 1; n <= counts.length; n++) {
            String metrics = metrics(cluster.gatewayOpsPort(n));
            for (int attempt = 1; metrics == null && attempt < attemptsWhileAlive
                    && cluster.pid("gateway-" + n) > 0; attempt++) {
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
                metrics = metrics(cluster.gatewayOpsPort(n));
            }
            counts[n - 1] = metrics == null ? 0 : (long) orZero(PrometheusText.sum(metrics, "herald_connections", null));
        }
        return counts;
    }

    /** CPU ticks of the component's process now; -1 when it does not run. */
    public long cpuTicks(String component) {
        long pid = cluster.pid(component);
        return pid > 0 ? ProcessMetrics.cpuTicks(pid) : -1;
    }

    public long rssBytes(String component) {
        long pid = cluster.pid(component);
        return pid > 0 ? ProcessMetrics.rssBytes(pid) : -1;
    }

    /** Redis's {@code used_memory} (bytes its allocator holds for data and overhead), over RESP. */
    public long redisUsedMemory() {
        String info = redisInfo("memory");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("Redis INFO memory has no used_memory line");
    }

    /** {@code INFO <section>} as an inline command; the answer is one bulk string. */
    private String redisInfo(String section) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", cluster.redisPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("INFO " + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IllegalStateException("Redis answered INFO with " + header);
            }
            int length = Integer.parseInt(header.substring(1));
            if (length < 0 || length > MAX_INFO_BYTES) {
                throw new IllegalStateException("Redis INFO answer of " + length + " bytes");
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask Redis on port " + cluster.redisPort() + " for INFO", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > 64) {
                throw new IOException("Redis answer header too long");
            }
        }
        return line.toString();
    }

    /** The text of {@code GET /metrics} on the port, or null when nothing answers 200 there. */
    private String metrics(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
