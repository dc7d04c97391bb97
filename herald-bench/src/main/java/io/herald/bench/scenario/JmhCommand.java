package io.herald.bench.scenario;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bench jmh [jmh args]}: the JMH micro-benchmarks of the hot paths (org.openjdk.jmh.Main with the args).
 * No standard help options: {@code -h} must reach JMH, which lists its own options.
 */
@Command(name = "jmh", mixinStandardHelpOptions = false, sortOptions = false,
        description = {"Runs the JMH micro-benchmarks (frame codec, channel registry, fan-out write loop).",
                "Every argument goes to JMH, e.g. 'bench jmh -f 1 -wi 2 -i 3 FrameCodec' or 'bench jmh -h'."})
final class JmhCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", description = "Arguments for org.openjdk.jmh.Main.")
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
