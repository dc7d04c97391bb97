package io.herald.bench.scenario;

import io.herald.bench.server.HeraldServerProcess;
import io.herald.bench.sim.DeviceLink;
import io.herald.bench.worker.ProcessCount;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options every scenario takes: where the server is (or how to start one), the simulator, and the output. */
public final class CommonOptions {

    @Option(names = "--api", description = "Base URL of a running Herald API to target, e.g. http://127.0.0.1:8080. "
            + "Default: start a standalone server process for the run.")
    URI api;

    @Option(names = "--api-key", description = "API key of the server given with --api.")
    String apiKey;

    @Option(names = "--server-pid", defaultValue = "-1",
            description = "Process id of the local server given with --api, so that RSS, CPU and a forced GC can be "
                    + "measured; -1 = unknown (default: ${DEFAULT-VALUE}).")
    long serverPid;

    @Option(names = "--cpu-pids", split = ",",
            description = "Processes of the server given with --api whose CPU, summed, is its CPU figure (a cluster: "
                    + "API nodes, gateways, Redis, nginx, database ...); default: --server-pid.")
    List<Long> cpuPids = List.of();

    @Option(names = "--results-dir", defaultValue = "bench/results",
            description = "Where the JSON report goes (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "Event loop threads of the device simulator; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--source-addresses", defaultValue = "8",
            description = "Loopback source addresses (127.0.0.1..N) devices connect from (default: ${DEFAULT-VALUE}).")
    int sourceAddresses;

    @Option(names = "--processes", defaultValue = "auto",
            description = "Processes simulating the devices: 'auto' = as few as keep each under its open-file limit "
                    + "(at most " + ProcessCount.MAX_DEVICES_PER_PROCESS + " devices each), 1 = all devices in this "
                    + "process, N = N worker processes, each with a slice of the devices and its own source addresses. "
                    + "Pushes, restarts and registrations stay in this process; what the devices observe is counted "
                    + "in their worker and merged: counts summed, histograms merged, QoS 1 receipts checked against "
                    + "the accepted ids (default: ${DEFAULT-VALUE}).")
    String processes;

    @Option(names = "--concurrency", defaultValue = "256",
            description = "Login+connect attempts (and registrations) in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--server-jar", defaultValue = "herald-server/target/herald.jar",
            description = "Server jar to start; when missing, the server classes on the bench class path are used "
                    + "(default: ${DEFAULT-VALUE}).")
    Path serverJar;

    @Option(names = "--server-jvm-args", split = " ", defaultValue = "-Xmx2g -XX:+UseG1GC",
            description = "JVM options of the started server and baseline processes (default: ${DEFAULT-VALUE}).")
    List<String> serverJvmArgs;

    @Option(names = "--server-io-threads", defaultValue = "0",
            description = "Event loop threads of the started server and of the baseline; 0 = two per core "
                    + "(default: ${DEFAULT-VALUE}).")
    int serverIoThreads;

    @Option(names = "--server-heartbeat", defaultValue = "30s",
            description = "Heartbeat interval of the started server; devices PING at it (default: ${DEFAULT-VALUE}).")
    String serverHeartbeat;

    @Option(names = "--profile", description = "Record the started server with JFR and summarise where its CPU "
            + "went in the report (default: off).")
    boolean profile;

    @Option(names = "--transport", defaultValue = "tcp",
            description = "What devices connect over: tcp or ws (WebSocket, the server's --ws-port) "
                    + "(default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--tls", description = "Devices connect in TLS: a started server gets --tls-self-signed and the "
            + "devices trust its certificate file; with --api, give the certificate to trust with --tls-trust "
            + "(default: off).")
    boolean tls;

    @Option(names = "--tls-trust", paramLabel = "FILE",
            description = "PEM certificate the devices trust (implies --tls); default with --tls: the started "
                    + "server's self-signed certificate.")
    Path tlsTrust;

    @Option(names = "--time-limit", defaultValue = "115s",
            description = "Hard bound of the whole run; nothing new starts after it (default: ${DEFAULT-VALUE}).")
    String timeLimit;

    Duration heartbeat() {
        return Durations.parse(serverHeartbeat);
    }

    /**
     * The devices' transport and TLS trust; a started server writes its self-signed certificate under
     * {@code workDir} when it starts, and the devices read it at their first connection.
     */
    DeviceLink.Settings deviceLink(Path workDir) {
        DeviceLink.Transport carrier;
        try {
            carrier = DeviceLink.Transport.valueOf(transport.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--transport must be tcp or ws, was '" + transport + "'");
        }
        if (tlsTrust != null) {
            return new DeviceLink.Settings(carrier, tlsTrust);
        }
        if (tls && api != null) {
            throw new IllegalArgumentException("--tls with --api needs --tls-trust FILE: the certificate to trust");
        }
        return new DeviceLink.Settings(carrier, tls ? HeraldServerProcess.selfSignedCertificate(workDir) : null);
    }

    Duration timeLimitDuration() {
        return Durations.parse(timeLimit);
    }
}
