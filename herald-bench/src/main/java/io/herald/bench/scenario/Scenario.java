package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.fleet.FleetSlice;
import io.herald.bench.fleet.SimulatedFleet;
import io.herald.bench.report.MachineInfo;
import io.herald.bench.report.Report;
import io.herald.bench.report.ReportWriter;
import io.herald.bench.sim.DeviceLink;
import io.herald.bench.sim.DeviceProtocol;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.worker.ProcessCount;
import io.herald.bench.worker.WorkerPool;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The frame of every scenario: a device simulator, a scratch directory for server data and logs, a hard time
 * bound, and at the end the report written as JSON and printed. Subclasses only measure.
 */
abstract class Scenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** {@link System#nanoTime()} after which nothing new starts. */
    long hardDeadline;
    /** Scratch space of this run: server data directory and process logs; deleted after a successful run. */
    Path workDir;
    /** Processes simulating the devices in this run, from {@code --processes} and {@link #devices()}. */
    int processCount = 1;
    /** How devices connect in this run; worker processes are told the same. */
    DeviceLink.Settings linkSettings;
    /** The report file written by the last {@link #call()}, for callers such as the smoke tests. */
    Path reportFile;

    @Override
    public Integer call() throws Exception {
        hardDeadline = System.nanoTime() + timeLimit().toNanos();
        try {
            processCount = ProcessCount.resolve(common.processes, devices());
            WorkerPool.checkSourceAddresses(processCount, common.sourceAddresses);
            checkOptions();
        } catch (IllegalArgumentException e) {
            // Reported like any bad option: the message and the usage, no stack trace.
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        workDir = Files.createTempDirectory("herald-bench-");
        DeviceLink link;
        try {
            linkSettings = common.deviceLink(workDir);
            link = new DeviceLink(linkSettings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Report report;
        try (DeviceSimulator simulator = new DeviceSimulator(common.ioThreads, common.sourceAddresses, link,
                deviceProtocol())) {
            report = new Report(spec.name(), commandLine(), options(),
                    MachineInfo.describe(simulator.transportName()));
            report.note("client simulator: " + simulator.transportName() + ", "
                    + simulator.sourceAddressCount() + " source addresses"
                    + (processCount == 1 ? ", one process" : " per process, " + processCount
                    + " worker processes (counts summed, latency histograms merged)")
                    + "; devices connect over " + link.settings().describe() + " and speak "
                    + simulator.protocol().describe());
            run(report, simulator);
        }
        report.finish();
        reportFile = ReportWriter.write(report, resultsDirectory(report));
        ReportWriter.print(report, System.out);
        System.out.println();
        System.out.println("report: " + reportFile);
        deleteRecursively(workDir);
        return 0;
    }

    abstract void run(Report report, DeviceSimulator simulator) throws Exception;

    /** Refuses options the scenario cannot honour, with an {@link IllegalArgumentException} that says which. */
    void checkOptions() {
    }

    /** What the simulated devices speak: Herald's protocol, unless the scenario is an MQTT one. */
    DeviceProtocol deviceProtocol() {
        return DeviceProtocol.HERALD;
    }

    /** The hard bound of the whole run: {@code --time-limit}. */
    Duration timeLimit() {
        return common.timeLimitDuration();
    }

    /** Where the report goes: {@code --results-dir}; a scenario that writes more files may give it a directory. */
    Path resultsDirectory(Report report) {
        return common.resultsDir;
    }

    /** The devices of the run: how many processes {@code --processes auto} takes depends on it. */
    abstract int devices();

    /**
     * The fleet of {@code devices} ids with the given prefix, made known to the target: in this process, or, with
     * several processes, spread over worker processes that log in against the same target. Either way the
     * scenario drives it through the same calls and gets the same (merged) results.
     */
    SimulatedFleet simulatedFleet(Target target, DeviceSimulator simulator, String prefix, int devices,
                                  double connectRate) {
        List<String> ids = DeviceFleet.clientIds(prefix, devices);
        target.prepare(ids, common.concurrency, hardDeadline);
        if (processCount == 1) {
            return new FleetSlice(new DeviceFleet(simulator, target.login(), ids, common.concurrency, connectRate,
                    hardDeadline));
        }
        return WorkerPool.start(new WorkerPool.Plan(target.workerLogin(), prefix, devices, processCount,
                common.sourceAddresses, common.ioThreads, common.concurrency, connectRate, hardDeadline,
                linkSettings));
    }

    /** The nanos left until {@code timeout} or the hard deadline, whichever is sooner. */
    long bounded(Duration timeout) {
        return Math.max(0, Math.min(timeout.toNanos(), hardDeadline - System.nanoTime()));
    }

    boolean targetsRunningServer() {
        return common.api != null;
    }

    private String commandLine() {
        // The root's parse result holds the whole command line, this subcommand's name included.
        CommandLine root = spec.root().commandLine();
        List<String> args = root.getParseResult() == null ? List.of(spec.name()) : root.getParseResult().originalArgs();
        return "bin/herald bench " + String.join(" ", withoutApiKey(args));
    }

    /** Reports are shared and committed: the API key given on the command line is masked in them. */
    static List<String> withoutApiKey(List<String> args) {
        List<String> masked = new ArrayList<>(args.size());
        boolean nextIsKey = false;
        for (String arg : args) {
            if (nextIsKey) {
                masked.add("***");
                nextIsKey = false;
            } else if (arg.equals("--api-key")) {
                masked.add(arg);
                nextIsKey = true;
            } else if (arg.startsWith("--api-key=")) {
                masked.add("--api-key=***");
            } else {
                masked.add(arg);
            }
        }
        return masked;
    }

    /** Every option with its effective value (defaults included), so a report says exactly what was run. */
    private Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || "--api-key".equals(option.longestName())) {
                continue;
            }
            Object value = option.getValue();
            options.put(option.longestName(), value == null || value instanceof Number || value instanceof Boolean
                    || value instanceof List<?> ? value : value instanceof Path || value instanceof URI
                    ? value.toString() : String.valueOf(value));
        }
        return options;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
