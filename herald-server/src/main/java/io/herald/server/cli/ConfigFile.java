package io.herald.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: a properties file whose keys are a role's option names without the leading dashes
 * ({@code tcp-port=7001}). {@link OptionDefaults} puts it below the command line and the environment and above the
 * built-in defaults. A key that names no option of the role is an error, so a typo cannot silently fall back to a
 * default.
 */
public final class ConfigFile {
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
        Set<String> known = OptionDefaults.settable(command)
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

    /** The file named by {@code --config FILE} or {@code --config=FILE} in a role's arguments, if any. */
    static Optional<String> named(String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
            if (args[i].startsWith(OPTION + "=")) {
                return Optional.of(args[i].substring(OPTION.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** The file's value for the option, or null. */
    String value(OptionSpec option) {
        return values.getProperty(key(option));
    }

    public Path path() {
        return path;
    }

    /** The option's key in a config file: its longest name without the dashes. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }
}
