package io.herald.server.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code HERALD_*} environment variables: every option of every role has one, named by one rule, {@code HERALD_}
 * and the option's long name upper-cased with dashes as underscores ({@code --gateway-id} is
 * {@code HERALD_GATEWAY_ID}, {@code --config} is {@code HERALD_CONFIG}).
 */
public final class EnvironmentVariables {
    static final String PREFIX = "HERALD_";
    /** {@code --config}'s variable; {@link OptionDefaults} reads the file it names. */
    static final String CONFIG = PREFIX + "CONFIG";
    /**
     * Read by the launch scripts (bin/herald, bin/herald-cluster, bin/test) and not by a role: the process the
     * scripts start inherits them, so they must not count as misspelt options.
     */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("HERALD_JAR", "HERALD_JAVA_OPTS",
            "HERALD_GATEWAY_JAVA_OPTS", "HERALD_BENCH_JAVA_OPTS", "HERALD_CLUSTER_DIR", "HERALD_CLUSTER_PORT_BASE",
            "HERALD_SKIP_SETUP", "HERALD_SKIP_DB_CHECK");
    /** The test suite's own settings (HERALD_TEST_MARIADB_URL, ...), inherited by the roles the tests start. */
    static final String TEST_PREFIX = PREFIX + "TEST_";

    private EnvironmentVariables() {
    }

    /** The variable that gives the option a value: {@code --tcp-port} is {@code HERALD_TCP_PORT}. */
    public static String name(OptionSpec option) {
        return PREFIX + ConfigFile.key(option).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Refuses a {@code HERALD_*} variable that names no option of any role, so a misspelt one cannot silently leave a
     * setting at its default. One naming an option of another role only is accepted (and not used), so one
     * environment file can serve a cluster's roles.
     */
    static void check(Map<String, String> environment, CommandLine root) {
        Set<String> known = new TreeSet<>(LAUNCHER_VARIABLES);
        for (CommandLine role : root.getSubcommands().values()) {
            role.getCommandSpec().options().stream()
                    .filter(option -> !option.usageHelp() && !option.versionHelp())
                    .map(EnvironmentVariables::name)
                    .forEach(known::add);
        }
        environment.keySet().stream()
                .filter(variable -> variable.startsWith(PREFIX) && !variable.startsWith(TEST_PREFIX))
                .filter(variable -> !known.contains(variable))
                .sorted()
                .findFirst()
                .ifPresent(variable -> {
                    throw new IllegalArgumentException("environment variable " + variable + " names no option of any"
                            + " role: an option's variable is HERALD_ and its name in capitals, dashes as underscores"
                            + " (--gateway-id is HERALD_GATEWAY_ID); 'herald <role> --help' lists the options");
                });
    }
}
