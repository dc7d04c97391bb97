package io.herald.bench.worker;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.HeraldLogin;
import io.herald.bench.http.HeraldApi;
import io.herald.bench.sim.DeviceLink;
import io.herald.bench.sim.DeviceSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench worker}: the hidden sub-command a {@link WorkerPool} starts. Simulates one slice of the fleet (ids
 * {@code prefix<first>} .. {@code prefix<first+count-1>}, already registered by the parent) from its own range of
 * source addresses, and does what the parent says on stdin. It ends on {@code stop}, when stdin closes (the parent
 * died) or, at the latest, shortly after its time limit, so that no worker outlives a run.
 */
@Command(name = "worker", hidden = true, description = "Internal: one worker process of a multi-process fleet.")
public final class WorkerCommand implements Callable<Integer> {
    /** Past the time limit the worker gets this long to answer and close before it halts itself. */
    private static final long WATCHDOG_GRACE_MILLIS = 15_000;

    @Option(names = "--api", required = true)
    URI api;
    @Option(names = "--api-key", required = true)
    String apiKey;
    @Option(names = "--prefix", required = true)
    String prefix;
    @Option(names = "--first", required = true)
    int first;
    @Option(names = "--count", required = true)
    int count;
    @Option(names = "--first-source", required = true)
    int firstSource;
    @Option(names = "--source-addresses", required = true)
    int sourceAddresses;
    @Option(names = "--io-threads", defaultValue = "0")
    int ioThreads;
    @Option(names = "--concurrency", required = true)
    int concurrency;
    @Option(names = "--rate", defaultValue = "0")
    double rate;
    @Option(names = "--time-limit-millis", required = true)
    long timeLimitMillis;
    @Option(names = "--transport", defaultValue = "TCP")
    DeviceLink.Transport transport;
    @Option(names = "--tls-trust")
    Path tlsTrust;

    @Override
    public Integer call() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeLimitMillis);
        startWatchdog(timeLimitMillis + WATCHDOG_GRACE_MILLIS);
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        DeviceLink.Settings link = new DeviceLink.Settings(transport, tlsTrust);
        try (DeviceSimulator simulator = new DeviceSimulator(ioThreads, firstSource, sourceAddresses,
                new DeviceLink(link));
             HeraldApi heraldApi = new HeraldApi(api, apiKey, "https".equals(api.getScheme()) ? tlsTrust : null);
             DeviceFleet fleet = new DeviceFleet(simulator, new HeraldLogin(heraldApi,
                     transport == DeviceLink.Transport.WS),
                     DeviceFleet.clientIds(prefix, first, count), concurrency, rate, deadline)) {
            answer(out, WorkerMessages.event(WorkerMessages.READY));
            // One command per line until stop; the loop is bounded by the parent, by EOF and by the watchdog.
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                if (WorkerMessages.CONNECT.equals(words[0])) {
                    long timeout = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[1]));
                    answer(out, WorkerMessages.connected(fleet.connectAll(timeout)));
                } else if (WorkerMessages.HOLD.equals(words[0])) {
                    answer(out, WorkerMessages.held(fleet.holdFor(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[1])))));
                } else if (WorkerMessages.STOP.equals(words[0])) {
                    break;
                } else {
                    System.err.println("unknown command: " + line);
                }
            }
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
        }
        answer(out, WorkerMessages.event(WorkerMessages.STOPPED));
        return 0;
    }

    private static void answer(PrintStream out, String json) {
        out.println(json);
        out.flush();
    }

    /** Halts the JVM past the bound even if a command or a shutdown hook hangs: a worker must never linger. */
    private static void startWatchdog(long millis) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(millis);
                System.err.println("time limit passed, halting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-worker-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
