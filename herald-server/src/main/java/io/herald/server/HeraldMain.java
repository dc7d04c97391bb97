package io.herald.server;

import io.herald.server.cli.ConfigFile;
import io.herald.server.cli.DurationConverter;
import io.herald.server.cluster.ApiCommand;
import io.herald.server.cluster.ArchiverCommand;
import io.herald.server.cluster.GatewayCommand;
import io.herald.server.client.ClientCommand;
import io.herald.server.standalone.StandaloneCommand;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/herald <role> [options]}: one executable, one sub-command per role. */
@Command(name = "herald", mixinStandardHelpOptions = true, version = "Herald 0.1.0",
        description = "Push messaging for large fleets of IoT devices.",
        subcommands = {StandaloneCommand.class, GatewayCommand.class, ApiCommand.class, ArchiverCommand.class,
                ClientCommand.class})
public final class HeraldMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        try {
            ConfigFile.install(commandLine, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine.execute(args));
    }

    /** The command line with every role and the shared converters registered. */
    public static CommandLine commandLine() {
        return new CommandLine(new HeraldMain())
                .registerConverter(Duration.class, new DurationConverter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(HeraldMain::reportFailure);
    }

    /**
     * A refused setting or a service that cannot be reached is the operator's to fix: one line saying what, not a
     * stack trace. Anything else is a bug and keeps its stack trace.
     */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("herald " + commandLine.getCommandName() + ": " + e.getMessage());
            commandLine.getErr().println("Try 'herald " + commandLine.getCommandName() + " --help'.");
            return 2;
        }
        if (e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("herald " + commandLine.getCommandName() + " could not start: "
                    + e.getMessage());
            return 1;
        }
        throw e;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a role, e.g. 'herald standalone'.");
    }
}
