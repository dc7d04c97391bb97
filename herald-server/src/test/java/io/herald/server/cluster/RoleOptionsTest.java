package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.HeraldMain;
import io.herald.server.cli.OptionDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cluster roles' command lines: config files, precedence, and refusals that name the bad setting. */
class RoleOptionsTest {
    private static final String SECRET = "0123456789abcdef-secret";

    @TempDir
    Path dir;

    @Test
    void aConfigFileSetsOptionsAndTheCommandLineWins() throws Exception {
        Path config = write("gateway.properties", """
                gateway-id=g7
                tcp-port=7101
                ws-port=-1
                zookeeper=zk1:2181
                cluster-secret=%s
                jdbc-url=jdbc:postgresql://db/herald
                """.formatted(SECRET));
        String[] args = {"gateway", "--config", config.toString(), "--tcp-port", "7202"};
        CommandLine cli = HeraldMain.commandLine();
        OptionDefaults.install(cli, args, Map.of());
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        GatewayCommand gateway = parsed.subcommand().commandSpec().commandLine().getCommand();

        var settings = gateway.settings();

        assertThat(settings.gateway().gatewayId()).isEqualTo("g7");
        assertThat(settings.gateway().tcpPort()).isEqualTo(7202);
        assertThat(settings.gateway().wsPort()).isEqualTo(-1);
        assertThat(settings.discovery().connectString()).isEqualTo("zk1:2181");
        assertThat(settings.jdbc().jdbcUrl()).isEqualTo("jdbc:postgresql://db/herald");
    }

    @Test
    void anUnknownKeyInAConfigFileIsRefusedByName() throws Exception {
        Path config = write("api.properties", "http-prot=8081\n");

        assertThatThrownBy(() -> OptionDefaults.install(HeraldMain.commandLine(),
                new String[] {"api", "--config", config.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'http-prot'")
                .hasMessageContaining("http-port");
    }

    @Test
    void aMissingConfigFileIsRefused() {
        assertThatThrownBy(() -> OptionDefaults.install(HeraldMain.commandLine(),
                new String[] {"archiver", "--config", dir.resolve("nope.properties").toString()}, Map.of()))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aShortClusterSecretIsRefusedByName() {
        String err = run("gateway", "--gateway-id", "g1", "--cluster-secret", "short", "--jdbc-url", "jdbc:mariadb://db/herald");
        assertThat(err).contains("--cluster-secret must be at least 16 characters");
    }

    @Test
    void aMissingJdbcUrlIsRefusedByName() {
        String err = run("archiver");
        assertThat(err).contains("--jdbc-url is required");
    }

    @Test
    void anUnknownRoutingStrategyIsRefusedByName() {
        String err = run("api", "--api-key", "k", "--cluster-secret", SECRET, "--jdbc-url", "jdbc:mariadb://db/herald",
                "--routing", "random");
        assertThat(err).contains("--routing").contains("consistent-hash");
    }

    @Test
    void aBadGatewayWeightIsRefusedByName() {
        String err = run("gateway", "--gateway-id", "g1", "--weight", "0", "--cluster-secret", SECRET,
                "--jdbc-url", "jdbc:mariadb://db/herald");
        assertThat(err).contains("--weight must be 1-100");
    }

    @Test
    void anUnsupportedDatabaseIsRefusedByName() {
        String err = run("archiver", "--jdbc-url", "jdbc:oracle:thin:@db");
        assertThat(err).contains("--jdbc-url: unsupported JDBC URL");
    }

    @Test
    void anApiNodeNeedsAnApiKey() {
        String err = run("api", "--cluster-secret", SECRET, "--jdbc-url", "jdbc:mariadb://db/herald");
        assertThat(err).contains("--api-key");
    }

    @Test
    void theClusterSecretCanComeFromAFile() throws Exception {
        Path secret = write("secret", SECRET + "\n");
        String[] args = {"api", "--api-key", "k", "--cluster-secret-file", secret.toString(), "--jdbc-url", "jdbc:mariadb://db/herald"};
        CommandLine cli = HeraldMain.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        ApiCommand api = parsed.subcommand().commandSpec().commandLine().getCommand();

        assertThat(api.settings().clusterSecret()).isEqualTo(SECRET);
    }

    @Test
    void everyRoleListsItsOptionsInHelp() {
        for (String role : new String[] {"gateway", "api", "archiver"}) {
            StringWriter out = new StringWriter();
            CommandLine cli = HeraldMain.commandLine();
            cli.setOut(new PrintWriter(out));
            assertThat(cli.execute(role, "--help")).isZero();
            assertThat(out.toString()).contains("--config").contains("--jdbc-url");
        }
        assertThat(ArchiverCommand.class).isNotNull();
    }

    private String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertThat(code).as("exit code of %s", String.join(" ", args)).isNotZero();
        return err.toString();
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
