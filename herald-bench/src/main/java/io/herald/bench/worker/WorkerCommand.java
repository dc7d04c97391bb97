package io.herald.bench.worker;

import io.herald.bench.fleet.BaselineLogin;
import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.FleetSlice;
import io.herald.bench.fleet.ReconnectMode;
import io.herald.bench.fleet.GatewayLogin;
import io.herald.bench.fleet.HeraldLogin;
import io.herald.bench.fleet.UpstreamPlan;
import io.herald.bench.http.HeraldApi;
import io.herald.protocol.ContentType;
import io.herald.bench.sim.DeviceLink;
import io.herald.bench.sim.DeviceSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
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
 * source addresses as a {@link FleetSlice}, and does what the parent says on stdin: the same calls an in-process
 * fleet gets, answered with the same results. It ends on {@code stop}, when stdin closes (the parent died) or, at
 * the latest, shortly after its time limit, so that no worker outlives a run.
 */
@Command(name = "worker", hidden = true, description = "Internal: one worker process of a multi-process fleet.")
public final class WorkerCommand implements Callable<Integer> {
    /** Past the time limit the worker gets this long to answer and close before it halts itself. */
    private static final long WATCHDOG_GRACE_MILLIS = 15_000;

    @Option(names = "--api", description = "Herald API the devices log in through.")
    URI api;
    @Option(names = "--api-key")
    String apiKey;
    @Option(names = "--baseline", description = "host:port of the ideal baseline (no login) instead of --api.")
    String baseline;
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
        if (baseline == null && (api == null || apiKey == null)) {
            throw new IllegalArgumentException("worker needs --api and --api-key, or --baseline");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeLimitMillis);
        startWatchdog(timeLimitMillis + WATCHDOG_GRACE_MILLIS);
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        DeviceLink.Settings link = new DeviceLink.Settings(transport, tlsTrust);
        HeraldApi heraldApi = baseline == null
                ? new HeraldApi(api, apiKey, "https".equals(api.getScheme()) ? tlsTrust : null) : null;
        GatewayLogin login = heraldApi == null ? new BaselineLogin(address(baseline))
                : new HeraldLogin(heraldApi, transport == DeviceLink.Transport.WS);
        try (DeviceSimulator simulator = new DeviceSimulator(ioThreads, firstSource, sourceAddresses,
                new DeviceLink(link));
             FleetSlice slice = new FleetSlice(new DeviceFleet(simulator, login,
                     DeviceFleet.clientIds(prefix, first, count), concurrency, rate, deadline))) {
            answer(out, WorkerMessages.event(WorkerMessages.READY));
            // One command per line until stop; the loop is bounded by the parent, by EOF and by the watchdog.
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                if (WorkerMessages.STOP.equals(words[0])) {
                    break;
                }
                String answer = execute(slice, words);
                if (answer == null) {
                    System.err.println("unknown command: " + line);
                } else {
                    answer(out, answer);
                }
            }
            slice.disconnectAll(TimeUnit.SECONDS.toNanos(10));
        } finally {
            if (heraldApi != null) {
                heraldApi.close();
            }
        }
        answer(out, WorkerMessages.event(WorkerMessages.STOPPED));
        return 0;
    }

    /** One command on the slice, answered as the parent expects; null for an unknown command. */
    private static String execute(FleetSlice slice, String[] words) {
        return switch (words[0]) {
            case WorkerMessages.CONNECT -> WorkerMessages.connected(slice.connectAll(nanos(words[1])));
            case WorkerMessages.HOLD -> WorkerMessages.count(WorkerMessages.HOLD, slice.holdFor(nanos(words[1])));
            case WorkerMessages.ONLINE -> WorkerMessages.count(WorkerMessages.ONLINE, slice.online());
            case WorkerMessages.ROUND_BEGIN -> WorkerMessages.count(WorkerMessages.ROUND_BEGIN,
                    slice.beginRound(Integer.parseInt(words[1])));
            case WorkerMessages.ROUND_AWAIT -> WorkerMessages.round(slice.awaitRound(Integer.parseInt(words[1]),
                    nanos(words[2])));
            case WorkerMessages.RECEIPTS_BEGIN -> {
                slice.beginReceipts(Integer.parseInt(words[1]));
                yield WorkerMessages.event(WorkerMessages.RECEIPTS_BEGIN);
            }
            case WorkerMessages.RECEIPTS -> WorkerMessages.receipts(slice.receipts(Integer.parseInt(words[1]),
                    Boolean.parseBoolean(words[2])));
            case WorkerMessages.RECEIPT_IDS -> WorkerMessages.receiptIds(slice.receivedIds(Integer.parseInt(words[1])));
            case WorkerMessages.UPSTREAM -> WorkerMessages.upstream(slice.sendUpstream(new UpstreamPlan(
                    Double.parseDouble(words[1]), nanos(words[2]), ContentType.ofLabel(words[3]),
                    Integer.parseInt(words[4]), nanos(words[5]))));
            case WorkerMessages.RECONNECT_ON_DROP -> {
                slice.reconnectOnDrop(ReconnectMode.valueOf(words[1]));
                yield WorkerMessages.event(WorkerMessages.RECONNECT_ON_DROP);
            }
            case WorkerMessages.MARK_BACK -> {
                slice.markBack();
                yield WorkerMessages.event(WorkerMessages.MARK_BACK);
            }
            case WorkerMessages.STATUS -> WorkerMessages.status(slice.status());
            default -> null;
        };
    }

    private static long nanos(String millis) {
        return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(millis));
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
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
