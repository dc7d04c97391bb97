package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.HeraldMain;
import io.herald.server.cli.OptionDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The example files the tarball ships in conf/ hold only settings the roles know, with values they accept: a user
 * copies them to /etc/herald and the systemd units start with them.
 */
class ExampleConfigTest {
    private static final Path CONF = Path.of("src/dist/conf");
    /** An assignment in herald.env, set or commented out: every one must be a variable Herald reads. */
    private static final Pattern VARIABLE = Pattern.compile("^#?(HERALD_[A-Z0-9_]+)=", Pattern.MULTILINE);

    @Test
    void everyRolesExampleConfigFileParses() {
        // With what the systemd units add on the command line (deploy/systemd: herald-gateway@g1, herald-api@1).
        Map<String, List<String>> instance = Map.of("standalone", List.of(), "gateway", List.of("--gateway-id", "g1"),
                "api", List.of("--node-number", "1"), "archiver", List.of());
        for (String role : instance.keySet()) {
            List<String> command = new ArrayList<>(List.of(role, "--config", CONF.resolve(role + ".properties").toString()));
            command.addAll(instance.get(role));
            String[] args = command.toArray(String[]::new);
            CommandLine cli = HeraldMain.commandLine();

            OptionDefaults.install(cli, args, Map.of());
            CommandLine.ParseResult parsed = cli.parseArgs(args);

            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(role);
        }
    }

    @Test
    void theExampleEnvironmentFileNamesOnlyVariablesHeraldReads() throws Exception {
        Matcher assignments = VARIABLE.matcher(Files.readString(CONF.resolve("herald.env")));
        Map<String, String> variables = assignments.results().map(match -> match.group(1))
                .collect(Collectors.toMap(Function.identity(), name -> "", (a, b) -> a));
        assertThat(variables).containsKeys("HERALD_API_KEY", "HERALD_CLUSTER_SECRET", "HERALD_JDBC_PASSWORD");

        // Refuses a variable that names no option (and is not the launcher's, like HERALD_JAVA_OPTS).
        OptionDefaults.install(HeraldMain.commandLine(), new String[] {"standalone"}, variables);
    }
}
