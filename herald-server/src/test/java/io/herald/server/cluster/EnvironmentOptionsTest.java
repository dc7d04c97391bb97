package io.herald.server.cluster;

import static io.herald.server.cluster.RoleCommandLines.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.HeraldMain;
import io.herald.server.cli.OptionDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Options from HERALD_* environment variables: the naming rule, precedence (command line > environment > config
 * file > built-in default), and refusals that name the variable.
 */
class EnvironmentOptionsTest {
    private static final String[] GATEWAY = {"gateway", "--gateway-id", "g1", "--cluster-secret", SECRET,
            "--jdbc-url", "jdbc:mariadb://db/herald"};

    @TempDir
    Path dir;

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheConfigFileWhichBeatsTheDefault() throws Exception {
        Path config = write("gateway.properties", "tcp-port=7101\nws-port=7102\nweight=7\n");
        Map<String, String> env = Map.of("HERALD_TCP_PORT", "7201", "HERALD_WS_PORT", "7202");
        String[] args = RoleCommandLines.with(GATEWAY, "--config", config.toString(), "--tcp-port", "7301");

        GatewayCommand gateway = gateway(env, args);

        assertThat(gateway.settings().gateway().tcpPort()).as("command line").isEqualTo(7301);
        assertThat(gateway.settings().gateway().wsPort()).as("environment").isEqualTo(7202);
        assertThat(gateway.settings().weight()).as("config file").isEqualTo(7);
        assertThat(gateway(Map.of(), GATEWAY).settings().weight()).as("built-in default")
                .isNotEqualTo(7);
    }

    @Test
    void everyOptionHasAVariableNamedByOneRule() throws Exception {
        Map<String, String> env = Map.of("HERALD_GATEWAY_ID", "from-env", "HERALD_CLUSTER_SECRET", SECRET,
                "HERALD_JDBC_URL", "jdbc:postgresql://db/herald", "HERALD_ZOOKEEPER", "zk9:2181",
                "HERALD_KAFKA", "kafka9:9092");

        GatewayCommand gateway = gateway(env, "gateway");

        assertThat(gateway.settings().gateway().gatewayId()).isEqualTo("from-env");
        assertThat(gateway.settings().clusterSecret()).isEqualTo(SECRET);
        assertThat(gateway.settings().jdbc().jdbcUrl()).isEqualTo("jdbc:postgresql://db/herald");
        assertThat(gateway.settings().discovery().connectString()).isEqualTo("zk9:2181");
    }

    @Test
    void herald_configNamesTheConfigFileAndConfigOnTheCommandLineWins() throws Exception {
        Path fromEnv = write("env.properties", "gateway-id=from-env-file\n");
        Path fromArgs = write("args.properties", "gateway-id=from-args-file\n");
        Map<String, String> env = Map.of("HERALD_CONFIG", fromEnv.toString(), "HERALD_CLUSTER_SECRET", SECRET,
                "HERALD_JDBC_URL", "jdbc:mariadb://db/herald");

        assertThat(gateway(env, "gateway").settings().gateway().gatewayId()).isEqualTo("from-env-file");
        assertThat(gateway(env, "gateway", "--config", fromArgs.toString()).settings().gateway().gatewayId())
                .isEqualTo("from-args-file");
        assertThatThrownBy(() -> parse(Map.of("HERALD_CONFIG", dir.resolve("nope").toString()), "gateway"))
                .hasMessageStartingWith("HERALD_CONFIG: config file").hasMessageContaining("cannot be read");
    }

    @Test
    void valuesAreTakenLiterallyAndAnEmptyVariableCountsAsUnset() throws Exception {
        String key = "k${env:HOME}$x$$y";
        Map<String, String> env = Map.of("HERALD_API_KEY", key, "HERALD_CLUSTER_SECRET", SECRET,
                "HERALD_JDBC_URL", "jdbc:mariadb://db/herald", "HERALD_HTTP_PORT", "",
                "HERALD_OPEN_REGISTRATION", "false");

        ApiCommand api = api(env, "api");

        assertThat(api.settings().api().apiKey()).isEqualTo(key);
        assertThat(api.settings().api().port()).isEqualTo(api(Map.of(), RoleCommandLines.API).settings().api().port());
        assertThat(api.settings().api().openRegistration()).isFalse();
    }

    @Test
    void anUnknownVariableIsRefusedByName() {
        assertThatThrownBy(() -> parse(Map.of("HERALD_TCP_PROT", "7001"), GATEWAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HERALD_TCP_PROT")
                .hasMessageContaining("HERALD_GATEWAY_ID");
    }

    @Test
    void anotherRolesOptionsAndTheLaunchersVariablesAreNoError() throws Exception {
        Map<String, String> env = Map.of("HERALD_API_KEY", "for-the-api-nodes", "HERALD_JAVA_OPTS", "-Xmx1g",
                "HERALD_CLUSTER_DIR", "/var/tmp/cluster", "HERALD_TEST_MARIADB_URL", "jdbc:mariadb://x/y");

        assertThat(gateway(env, GATEWAY).settings().gateway().gatewayId()).isEqualTo("g1");
    }

    @Test
    void aMalformedValueIsRefusedNamingTheVariable() {
        String err = refusal(Map.of("HERALD_TCP_PORT", "seventy"), GATEWAY);

        assertThat(err).contains("--tcp-port").contains("'seventy'").contains("environment variable HERALD_TCP_PORT");
    }

    @Test
    void anOutOfRangeValueIsRefusedNamingTheVariable() {
        String err = refusal(Map.of("HERALD_WEIGHT", "0"), GATEWAY);

        assertThat(err).contains("--weight must be 1-100").contains("environment variable HERALD_WEIGHT");
    }

    @Test
    void aConfigFilesBadValueIsRefusedNamingTheFile() throws Exception {
        Path config = write("bad.properties", "tcp-port=seventy\n");

        String err = refusal(Map.of(), RoleCommandLines.with(GATEWAY, "--config", config.toString()));

        assertThat(err).contains("--tcp-port").contains("config file " + config);
    }

    @Test
    void aSecretAndItsFileAreRefusedTogetherWhereverEachCameFrom() throws Exception {
        Path keyFile = write("api-key", "from-file\n");
        String[] args = {"api", "--api-key-file", keyFile.toString(), "--cluster-secret", SECRET,
                "--jdbc-url", "jdbc:mariadb://db/herald"};

        String err = refusal(Map.of("HERALD_API_KEY", "from-env"), args);

        assertThat(err).contains("give --api-key or --api-key-file, not both")
                .contains("--api-key: from environment variable HERALD_API_KEY")
                .doesNotContain("from-env");
    }

    @Test
    void aSecretFileCanComeFromTheEnvironment() throws Exception {
        Path secretFile = write("cluster-secret", SECRET + "\n");
        Map<String, String> env = new HashMap<>(Map.of("HERALD_CLUSTER_SECRET_FILE", secretFile.toString()));

        ApiCommand api = api(env, "api", "--api-key", "k", "--jdbc-url", "jdbc:mariadb://db/herald");

        assertThat(api.settings().clusterSecret()).isEqualTo(SECRET);
    }

    private static GatewayCommand gateway(Map<String, String> env, String... args) {
        return parse(env, args);
    }

    private static ApiCommand api(Map<String, String> env, String... args) {
        return parse(env, args);
    }

    /** The role's command with the environment installed and {@code args} parsed into it, not run. */
    private static <T> T parse(Map<String, String> env, String... args) {
        CommandLine cli = HeraldMain.commandLine();
        OptionDefaults.install(cli, args, env);
        return cli.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
    }

    /** Runs the command line with the environment installed; it must fail. Returns what it said on stderr. */
    private static String refusal(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setErr(new PrintWriter(err));
        OptionDefaults.install(cli, args, env);
        assertThat(cli.execute(args)).as("exit code of %s", String.join(" ", args)).isNotZero();
        return err.toString();
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
