package io.herald.bench.scenario;

import io.herald.bench.cluster.ClusterProbe;
import io.herald.bench.cluster.LocalCluster;
import io.herald.bench.cluster.OnlineSeries;
import io.herald.bench.fleet.ReconnectMode;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.push.Pusher;
import io.herald.bench.report.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The failure phases of {@code bench scale}: QoS 1 point-to-point traffic runs (a {@link PointToPointRun} on a
 * thread of its own) while gateways are killed or restarted; each disruption is timed from the signal until every
 * device is online again on the gateways that run (their {@code herald_connections} add up to the fleet, the
 * disrupted one holding none), and when the traffic ends {@link io.herald.bench.fleet.DeliveryCheck} counts lost and
 * duplicated messages over the whole phase. Only the traffic thread talks to the fleet meanwhile; the waits read the
 * gateways.
 */
final class ScaleDisruption {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Traffic before the first and after the last disruption, so both edges carry messages. */
    private static final Duration STEADY = Duration.ofSeconds(3);

    /** One gateway's disruption: how long until its devices were back elsewhere, and the script's own time. */
    record Disruption(int gateway, String how, boolean allBack, double backSeconds, double commandSeconds,
                      long devicesMoved, long logins, String failure) {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("gateway", "gateway-" + gateway);
            map.put("how", how);
            map.put("devicesMoved", devicesMoved);
            // HTTP logins (the API nodes' count) from the signal until they were back: devices that found no fallback
            // gateway for their token; null when an API node's /metrics did not answer
            map.put("logins", logins < 0 ? null : logins);
            // Null when they were not all back before the wait ended: a time would be a lie.
            map.put("allBackSeconds", allBack ? backSeconds : null);
            map.put("commandSeconds", commandSeconds); // the whole bin/herald-cluster command: a restart's stop and start
            if (failure != null) {
                map.put("failure", failure);
            }
            return map;
        }
    }

    /** A phase's outcome: each disruption and the QoS 1 traffic's figures (lost, duplicates, latency...). */
    record Outcome(List<Disruption> disruptions, Map<String, Object> traffic) {
        double slowestBackSeconds() {
            return disruptions.stream().mapToDouble(d -> d.allBack() ? d.backSeconds() : Double.POSITIVE_INFINITY)
                    .max().orElse(0);
        }
    }

    private final ClusterProbe probe;
    private final OnlineSeries series;
    private final SimulatedFleet fleet;
    private final Pusher pusher;
    private final int devices;
    private final double rate;
    private final Duration backTimeout;
    private final Duration drain;
    private final long hardDeadline;

    ScaleDisruption(ClusterProbe probe, OnlineSeries series, SimulatedFleet fleet, Pusher pusher, int devices,
                    double rate, Duration backTimeout, Duration drain, long hardDeadline) {
        this.probe = probe;
        this.series = series;
        this.fleet = fleet;
        this.pusher = pusher;
        this.devices = devices;
        this.rate = rate;
        this.backTimeout = backTimeout;
        this.drain = drain;
        this.hardDeadline = hardDeadline;
    }

    /** SIGKILL to one gateway under traffic; then it is started again (not measured) for what follows. */
    Outcome kill(int tag, int gateway) {
        LocalCluster cluster = probe.cluster();
        Outcome outcome = underTraffic(tag, List.of(gateway), "SIGKILL",
                n -> CompletableFuture.supplyAsync(() -> cluster.killGateway(n)));
        LocalCluster.Outcome started = cluster.restartGateway(gateway);
        if (!started.ok()) {
            throw new IllegalStateException("gateway-" + gateway + " did not start again after the kill:\n"
                    + started.output());
        }
        return outcome;
    }

    /** Every gateway in turn: SIGTERM (it drains), started again, ready; the next one only then. */
    Outcome rollingRestart(int tag) {
        LocalCluster cluster = probe.cluster();
        List<Integer> all = new ArrayList<>();
        for (int n = 1; n <= cluster.gateways(); n++) {
            all.add(n);
        }
        return underTraffic(tag, all, "SIGTERM (drain), started again",
                n -> CompletableFuture.supplyAsync(() -> cluster.restartGateway(n)));
    }

    /**
     * Runs the traffic, and meanwhile each disruption in turn: starts it, waits until the gateway's devices are all
     * back on the others, waits for the command to finish. Then ends the traffic and counts it.
     */
    private Outcome underTraffic(int tag, List<Integer> gateways, String how,
                                 IntFunction<CompletableFuture<LocalCluster.Outcome>> disrupt) {
        fleet.reconnectOnDrop(ReconnectMode.ANY_GATEWAY);
        PointToPointRun run = new PointToPointRun(tag);
        // Longer than any phase can last: stop() ends it.
        Duration untilStopped = Duration.ofNanos(Math.max(0, hardDeadline - System.nanoTime()));
        CompletableFuture<Map<String, Object>> traffic = CompletableFuture.supplyAsync(() -> run.run(fleet, pusher, 1,
                rate, 1, untilStopped, 256, drain, hardDeadline));
        List<Disruption> disruptions = new ArrayList<>();
        try {
            LockSupport.parkNanos(STEADY.toNanos());
            for (int gateway : gateways) {
                if (traffic.isDone() || System.nanoTime() >= hardDeadline) {
                    break; // the traffic failed or time is up: its error (or the deadline) is reported below
                }
                disruptions.add(disruptOne(gateway, how, disrupt));
            }
            LockSupport.parkNanos(STEADY.toNanos());
        } finally {
            run.stop();
        }
        try {
            return new Outcome(disruptions, traffic.get(drain.toNanos() + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            throw new IllegalStateException("the QoS 1 traffic failed", e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("the QoS 1 traffic did not end", e);
        }
    }

    private Disruption disruptOne(int gateway, String how, IntFunction<CompletableFuture<LocalCluster.Outcome>> disrupt) {
        long moved = probe.connections()[gateway - 1];
        long loginsBefore = probe.logins();
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        CompletableFuture<LocalCluster.Outcome> command = disrupt.apply(gateway);
        long deadline = Math.min(hardDeadline, start + backTimeout.toNanos());
        boolean allBack = false;
        long backAtMillis = 0;
        while (System.nanoTime() < deadline) {
            long[] counts = probe.connections();
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            if (counts[gateway - 1] == 0 && total >= devices) {
                allBack = true;
                backAtMillis = System.currentTimeMillis();
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        long loginsAfter = probe.logins();
        long logins = loginsBefore < 0 || loginsAfter < 0 ? -1 : loginsAfter - loginsBefore;
        LocalCluster.Outcome done;
        try {
            done = command.get(Math.max(TimeUnit.MINUTES.toNanos(5), deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            return new Disruption(gateway, how, allBack, seconds(backAtMillis - startMillis), -1, moved, logins,
                    String.valueOf(e));
        }
        // From the signal itself: the script may take a while on a loaded machine to get to it.
        long signalled = done.signalledAtMillis() > 0 ? done.signalledAtMillis() : startMillis;
        series.markAt(how.startsWith("SIGKILL") ? "SIGKILL gateway-" + gateway : "SIGTERM gateway-" + gateway, signalled);
        if (allBack) {
            series.markAt("gateway-" + gateway + "'s devices back", backAtMillis);
        }
        return new Disruption(gateway, how, allBack, seconds(backAtMillis - signalled), seconds(TimeUnit.NANOSECONDS.toMillis(done.elapsedNanos())),
                moved, logins, done.ok() ? null : "bin/herald-cluster failed: " + done.output().strip());
    }

    private static double seconds(long millis) {
        return Figures.round(Math.max(0, millis) / 1e3);
    }
}
