package io.herald.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code herald bench} in the role list. The load generator lives in module herald-bench, which runs this jar as its
 * server; {@code bin/herald bench} (the source checkout's and the distribution's) starts it on its own class path,
 * so this jar only points there.
 */
@Command(name = "bench", description = "Load generator and reports: bin/herald bench <scenario> (connect, hold,"
        + " broadcast, p2p, upstream, reconnect-storm, jmh); bin/herald bench --help.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("herald bench: run it as 'bin/herald bench <scenario>' (a source checkout"
                + " or the distribution: the launcher puts the load generator on the class path); 'bin/herald bench"
                + " --help' lists the scenarios.");
        return 2;
    }
}
