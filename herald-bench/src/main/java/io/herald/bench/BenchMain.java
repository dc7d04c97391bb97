package io.herald.bench;

import io.herald.bench.baseline.BaselineServerCommand;
import io.herald.bench.scenario.Scenarios;
import io.herald.bench.worker.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/herald bench <scenario> [options]}: load scenarios, the ideal baseline, charts and JMH. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Herald benchmarks. Each scenario starts its own server process (or targets --api), "
                + "is bounded in count and time, prints a table and writes bench/results/<scenario>-<time>.json.",
                "Run 'bench <scenario> --help' for its options and defaults."})
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        // Before any logger exists: the server jar on the class path brings its own logback.xml.
        System.setProperty("logback.configurationFile", "herald-bench-logback.xml");
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand registered (the smoke tests drive it too). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BenchMain());
        Scenarios.register(cli);
        cli.addSubcommand(new BaselineServerCommand());
        cli.addSubcommand(new WorkerCommand());
        // JMH arguments such as -f 1 must reach JMH untouched.
        cli.getSubcommands().get("jmh").setUnmatchedArgumentsAllowed(true).setUnmatchedOptionsArePositionalParams(true);
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
