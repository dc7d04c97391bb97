package io.herald.server;

import io.herald.server.cli.DurationConverter;
import io.herald.server.cli.OptionDefaults;
import io.herald.server.cluster.ApiCommand;
import io.herald.server.cluster.ArchiverCommand;
import io.herald.server.cluster.GatewayCommand;
import io.herald.server.client.ClientCommand;
import io.herald.server.standalone.StandaloneCommand;
import io.herald.store.jdbc.StoreException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/herald <role> [options]}: one executable, one sub-command per role. */
@Command(name = "herald", mixinStandardHelpOptions = true, version = "Herald 0.1.0",
        description = "Push messaging for large fleets of IoT devices.",
        subcommands = {StandaloneCommand.class, GatewayCommand.class, ApiCommand.class, ArchiverCommand.class,
                ClientCommand.class, BenchCommand.class})
public final class HeraldMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        try {
            OptionDefaults.install(commandLine, args, System.getenv());
        } catch (IllegalArgumentException e) {
            // A config file or HERALD_* variable refused before parsing: args[0] is the role it was read for.
            System.err.println("herald " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine.execute(args));
    }

    /** The command line with every role and the shared converters registered. */
    public static CommandLine commandLine() {
        return new CommandLine(new HeraldMain())
                .registerConverter(Duration.class, new DurationConverter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(HeraldMain::reportBadOption)
                .setExecutionExceptionHandler(HeraldMain::reportFailure);
    }

    /**
     * A mistyped or out-of-range option: one line naming it (and the variable or config file its value came from),
     * where the whole usage would bury it. {@code --help} has the usage.
     */
    private static int reportBadOption(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine.getErr().println(refusal(commandLine, OptionDefaults.withOrigins(commandLine, e.getMessage())));
        return 2;
    }

    /**
     * A refused setting, a port or data directory in use, or a service that cannot be reached is the operator's to
     * fix: one line saying what, not a stack trace. Anything else is a bug and keeps its stack trace.
     */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println(refusal(commandLine, OptionDefaults.withOrigins(commandLine, e.getMessage())));
            return 2;
        }
        if (e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException
                || e instanceof StoreException) {
            commandLine.getErr().println("herald " + commandLine.getCommandName() + " could not start: "
                    + e.getMessage());
            return 1;
        }
        throw e;
    }

    private static String refusal(CommandLine commandLine, String message) {
        String name = commandLine.getCommandName();
        String help = commandLine.getCommandSpec().parent() == null ? "herald --help" : "herald " + name + " --help";
        return (commandLine.getCommandSpec().parent() == null ? "herald" : "herald " + name) + ": " + message
                + " (see '" + help + "')";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a role, e.g. 'herald standalone'.");
    }
}
