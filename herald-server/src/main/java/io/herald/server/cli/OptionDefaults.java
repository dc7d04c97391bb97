package io.herald.server.cli;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a role's option gets its value when the command line does not give it, the one rule for every option:
 * the command line, else its {@code HERALD_*} environment variable ({@link EnvironmentVariables}), else the
 * {@code --config} file (or the file {@code HERALD_CONFIG} names), else the built-in default. An empty variable
 * counts as unset (as systemd and Compose files write "no value"). Secrets keep their own rule on top
 * ({@link Secrets}): an option and its {@code -file} variant are refused together, wherever each came from.
 */
public final class OptionDefaults implements CommandLine.IDefaultValueProvider {
    private static final Pattern OPTION_NAME = Pattern.compile("--[a-z0-9][a-z0-9-]*");

    private final Map<String, String> environment;
    private final ConfigFile file;
    /** Where each option this provider gave a value got it, for error messages; parsing is single-threaded. */
    private final Map<OptionSpec, String> origins = new IdentityHashMap<>();

    private OptionDefaults(Map<String, String> environment, ConfigFile file) {
        this.environment = environment;
        this.file = file;
    }

    /**
     * Installs the environment and the config file on the command line of the role {@code args} start with. Does
     * nothing when they name no role ({@code herald --help}).
     *
     * @throws IllegalArgumentException for a {@code HERALD_*} variable that names no option, or a config file that
     *                                  cannot be read or has a key that names no option of the role
     */
    public static void install(CommandLine root, String[] args, Map<String, String> environment) {
        if (args.length == 0 || !root.getSubcommands().containsKey(args[0])) {
            return;
        }
        EnvironmentVariables.check(environment, root);
        CommandLine role = root.getSubcommands().get(args[0]);
        role.setDefaultValueProvider(new OptionDefaults(environment, configFile(role.getCommandSpec(), args,
                environment)));
    }

    private static ConfigFile configFile(CommandSpec role, String[] args, Map<String, String> environment) {
        if (role.findOption(ConfigFile.OPTION) == null) {
            return null;
        }
        Optional<String> named = ConfigFile.named(args);
        if (named.isPresent()) {
            return ConfigFile.load(Path.of(named.get()), role);
        }
        String fromEnvironment = environment.get(EnvironmentVariables.CONFIG);
        if (fromEnvironment == null || fromEnvironment.isEmpty()) {
            return null;
        }
        try {
            return ConfigFile.load(Path.of(fromEnvironment), role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(EnvironmentVariables.CONFIG + ": " + e.getMessage(), e);
        }
    }

    /** The options a value can be given to by the environment or a config file: all but help and --config. */
    static Stream<OptionSpec> settable(CommandSpec command) {
        return command.options().stream().filter(OptionDefaults::settable);
    }

    private static boolean settable(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp() && !ConfigFile.OPTION.equals(option.longestName());
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !settable(option)) {
            return null;
        }
        String variable = EnvironmentVariables.name(option);
        String value = environment.get(variable);
        if (value != null && !value.isEmpty()) {
            origins.put(option, "environment variable " + variable);
            // picocli expands ${...} in default values; a variable's value is taken as it is ("$$" is one "$").
            return value.replace("$", "$$");
        }
        value = file == null ? null : file.value(option);
        if (value != null) {
            origins.put(option, "config file " + file.path());
        }
        return value;
    }

    /**
     * The message with, for each option it names that got its value from the environment or the config file, where
     * that value came from: "Invalid value for option '--tcp-port': 'x' is not an int (--tcp-port: from environment
     * variable HERALD_TCP_PORT)". The command line's own values need no such note.
     */
    public static String withOrigins(CommandLine command, String message) {
        if (!(command.getDefaultValueProvider() instanceof OptionDefaults defaults) || message == null) {
            return message;
        }
        Set<String> notes = new LinkedHashSet<>();
        Matcher names = OPTION_NAME.matcher(message);
        while (names.find()) {
            OptionSpec option = command.getCommandSpec().findOption(names.group());
            String origin = option == null ? null : defaults.origins.get(option);
            if (origin != null) {
                notes.add(option.longestName() + ": from " + origin);
            }
        }
        return notes.isEmpty() ? message : message + " (" + String.join("; ", notes) + ")";
    }
}
