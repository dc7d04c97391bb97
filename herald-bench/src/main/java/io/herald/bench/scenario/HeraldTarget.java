package io.herald.bench.scenario;

import io.herald.bench.fleet.GatewayLogin;
import io.herald.bench.fleet.HeraldLogin;
import io.herald.bench.fleet.MqttLogin;
import io.herald.bench.fleet.Registration;
import io.herald.bench.http.HeraldApi;
import io.herald.bench.push.HeraldPusher;
import io.herald.bench.push.Pusher;
import io.herald.bench.server.HeraldServerProcess;
import io.herald.bench.server.JfrSummary;
import io.herald.bench.server.ProcessMetrics;
import io.herald.bench.server.PrometheusText;
import io.herald.bench.server.ServerProbe;
import io.herald.bench.sim.DeviceLink;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.report.Report;
import io.herald.bench.worker.WorkerLogin;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Herald as the system under test: a server process the bench starts, or one given with {@code --api}. */
final class HeraldTarget implements Target {
    private static final String RECORDING = "herald-bench";
    private final HeraldServerProcess server;
    private final HeraldApi api;
    private final String apiKey;
    private final Path jfrFile;
    private final Report report;
    private final long pid;
    /** --cpu-pids: with --api, the processes whose CPU is the server's; empty: {@link #pid}. */
    private final List<Long> cpuPids;
    private final DeviceLink.Settings link;
    /** The MQTT listener the devices connect to, or null: they speak Herald's protocol after an HTTP login. */
    private InetSocketAddress mqtt;
    private boolean profiling;

    private HeraldTarget(HeraldServerProcess server, URI apiUri, String apiKey, Path jfrFile, Report report, long pid,
                         List<Long> cpuPids, DeviceLink.Settings link) {
        this.server = server;
        this.cpuPids = List.copyOf(cpuPids);
        this.apiKey = apiKey;
        this.pid = pid;
        this.link = link;
        // The API of a TLS server is https with the same certificate as its device listeners.
        this.api = new HeraldApi(apiUri, apiKey, "https".equals(apiUri.getScheme()) ? link.trustFile() : null);
        this.jfrFile = jfrFile;
        this.report = report;
    }

    /**
     * A running cluster's API (through its nginx) with its API key: no one server process, so no pid; the CPU figures
     * are those of {@code cpuPids} (its gateways and API nodes).
     */
    static HeraldTarget ofCluster(URI api, String apiKey, List<Long> cpuPids, DeviceLink.Settings link, Report report) {
        report.server("api", api.toString());
        return new HeraldTarget(null, api, apiKey, null, report, -1, cpuPids, link);
    }

    static HeraldTarget open(CommonOptions options, Path workDir, String scenario, Report report) {
        return open(options, workDir, scenario, report, false);
    }

    /**
     * A started server with an MQTT listener too ({@code --mqtt-port}), which the devices connect to with their
     * secret as password ({@link MqttLogin}); pushes still go through the HTTP API.
     */
    static HeraldTarget openMqtt(CommonOptions options, Path workDir, String scenario, Report report) {
        if (options.api != null) {
            throw new IllegalArgumentException(scenario + " starts its own server (with --mqtt-port): no --api");
        }
        HeraldTarget target = open(options, workDir, scenario, report, true);
        target.mqtt = target.server.mqttAddress();
        report.server("mqtt", target.mqtt.getHostString() + ":" + target.mqtt.getPort());
        return target;
    }

    private static HeraldTarget open(CommonOptions options, Path workDir, String scenario, Report report,
                                     boolean mqtt) {
        DeviceLink.Settings link = options.deviceLink(workDir);
        if (options.api != null) {
            if (options.apiKey == null) {
                throw new IllegalArgumentException("--api needs --api-key");
            }
            report.server("api", options.api.toString());
            return new HeraldTarget(null, options.api, options.apiKey, null, report, options.serverPid,
                    options.cpuPids, link);
        }
        // In the scratch directory: the report keeps the summary, the recording goes with the directory.
        Path jfr = options.profile ? workDir.toAbsolutePath().resolve(scenario + "-server.jfr") : null;
        HeraldServerProcess server = HeraldServerProcess.start(new HeraldServerProcess.Options(options.serverJar,
                options.serverJvmArgs, options.heartbeat(), options.serverIoThreads, workDir, link.tls(),
                link.transport() == DeviceLink.Transport.WS, mqtt));
        report.server("command", server.commandLine());
        report.server("api", server.apiUri().toString());
        return new HeraldTarget(server, server.apiUri(), server.apiKey(), jfr, report, server.pid(), List.of(), link);
    }

    @Override
    public String name() {
        return "herald";
    }

    @Override
    public void prepare(List<String> clientIds, int concurrency, long deadlineNanos) {
        Registration.registerAll(api, clientIds, concurrency, deadlineNanos);
    }

    @Override
    public GatewayLogin login() {
        return mqtt != null ? new MqttLogin(mqtt) : new HeraldLogin(api, link.transport() == DeviceLink.Transport.WS);
    }

    @Override
    public Pusher pusher(DeviceSimulator simulator) {
        return new HeraldPusher(api);
    }

    @Override
    public WorkerLogin workerLogin() {
        if (mqtt != null) {
            throw new IllegalStateException("MQTT devices are simulated in the bench process only (--processes 1)");
        }
        return WorkerLogin.herald(api.base(), apiKey);
    }

    /** The push API client, for scenarios that prepare more than registrations (tags). */
    HeraldApi api() {
        return api;
    }

    /** How devices connect: worker processes are told the same. */
    DeviceLink.Settings link() {
        return link;
    }

    /** The started server process, or null when targeting a running server. */
    HeraldServerProcess process() {
        return server;
    }

    @Override
    public List<Long> cpuPids() {
        return server == null && !cpuPids.isEmpty() ? cpuPids : List.of(pid());
    }

    /** The server's process id (after a restart, the new one), or -1 when unknown. */
    @Override
    public long pid() {
        return server == null ? pid : server.pid();
    }

    ServerProbe probe(boolean fullGcFirst) {
        return ServerProbe.take(api, pid(), fullGcFirst);
    }

    /**
     * Successful device TLS handshakes so far, {@code resumed} ("true", "false") or all (null): the server's
     * {@code herald_tls_handshakes_total}; 0 without TLS.
     */
    long tlsHandshakes(String resumed) {
        String metrics;
        try {
            metrics = api.metrics().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the server's /metrics", e);
        }
        double count = PrometheusText.sum(metrics, "herald_tls_handshakes_total",
                resumed == null ? null : "resumed=\"" + resumed + "\"");
        return Double.isNaN(count) ? 0 : (long) count;
    }

    /** Device TLS handshakes so far, resumed and full (the server's counters, which start at 0 in each process). */
    Map<String, Object> tlsHandshakeCounts() {
        return Map.of("resumed", tlsHandshakes("true"), "full", tlsHandshakes("false"));
    }

    /** With --profile: starts recording the server with JFR. */
    @Override
    public void measuring() {
        if (jfrFile != null && pid() > 0) {
            profiling = ProcessMetrics.startRecording(pid(), RECORDING, jfrFile);
        }
    }

    /**
     * Stops the profile (JFR writes its file) and the server, and adds to the report the CPU it used over the whole
     * process's life, split into user and kernel time (loopback networking shows up as kernel time), and the profile summary.
     */
    @Override
    public void close() {
        if (profiling) {
            ProcessMetrics.stopRecording(pid(), RECORDING);
        }
        long[] ticks = pid() > 0 ? ProcessMetrics.cpuTicksSplit(pid()) : null;
        if (ticks != null) {
            report.server("cpuUserSeconds", ticks[0] / ProcessMetrics.TICKS_PER_SECOND);
            report.server("cpuSystemSeconds", ticks[1] / ProcessMetrics.TICKS_PER_SECOND);
        }
        api.close();
        if (server != null) {
            server.close();
        }
        if (profiling) {
            report.profile(JfrSummary.summarise(jfrFile));
        }
    }
}
