package io.herald.server;

import io.herald.server.cli.DurationConverter;
import io.herald.server.client.ClientCommand;
import io.herald.server.standalone.StandaloneCommand;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/herald <role> [options]}: one executable, one sub-command per role. */
@Command(name = "herald", mixinStandardHelpOptions = true, version = "Herald 0.1.0",
        description = "Push messaging for large fleets of IoT devices.",
        subcommands = {StandaloneCommand.class, ClientCommand.class})
public final class HeraldMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every role and the shared converters registered. */
    public static CommandLine commandLine() {
        return new CommandLine(new HeraldMain())
                .registerConverter(Duration.class, new DurationConverter())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a role, e.g. 'herald standalone'.");
    }
}
