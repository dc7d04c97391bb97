package io.herald.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: a properties file whose keys are a role's option names without the leading dashes
 * ({@code tcp-port=7001}). Options given on the command line win over the file, the file wins over the built-in
 * defaults. A key that names no option of the role is an error, so a typo cannot silently fall back to a default.
 */
public final class ConfigFile implements CommandLine.IDefaultValueProvider {
    public static final String OPTION = "--config";

    private final Path path;
    private final Properties values;

    private ConfigFile(Path path, Properties values) {
        this.path = path;
        this.values = values;
    }

    /** Reads the file and checks every key against the command's options. */
    public static ConfigFile load(Path path, CommandSpec command) {
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            values.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + path + " cannot be read: " + e.getMessage(), e);
        }
        Set<String> known = command.options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp() && !OPTION.equals(option.longestName()))
                .map(ConfigFile::key)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String key : values.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("config file " + path + ": unknown setting '" + key + "' for role '"
                        + command.name() + "'; known settings: " + String.join(", ", known));
            }
        }
        return new ConfigFile(path, values);
    }

    /**
     * Installs the config file named by {@code --config FILE} or {@code --config=FILE} in {@code args} (which start
     * with the role name) on that role's command line. Does nothing when there is none.
     */
    public static void install(CommandLine root, String[] args) {
        if (args.length == 0 || !root.getSubcommands().containsKey(args[0])) {
            return;
        }
        CommandLine role = root.getSubcommands().get(args[0]);
        for (int i = 1; i < args.length; i++) {
            String value = null;
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                value = args[i + 1];
            } else if (args[i].startsWith(OPTION + "=")) {
                value = args[i].substring(OPTION.length() + 1);
            }
            if (value != null && role.getCommandSpec().findOption(OPTION) != null) {
                role.setDefaultValueProvider(load(Path.of(value), role.getCommandSpec()));
                return;
            }
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return values.getProperty(key(option));
        }
        return null;
    }

    public Path path() {
        return path;
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }
}
