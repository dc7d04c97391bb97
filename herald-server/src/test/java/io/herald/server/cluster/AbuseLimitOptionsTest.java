package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiLimits;
import io.herald.core.limit.AttemptLimit;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.limit.UpstreamRate;
import io.herald.gateway.proxy.ProxySources;
import io.herald.server.HeraldMain;
import io.herald.server.cli.OptionDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The abuse-limit options of the gateway and API roles (the mixins standalone shares): defaults, values, refusals. */
class AbuseLimitOptionsTest {
    private static final String SECRET = "0123456789abcdef-secret";
    private static final String[] GATEWAY = {"gateway", "--gateway-id", "g1", "--cluster-secret", SECRET,
            "--jdbc-url", "jdbc:mariadb://db/herald"};
    private static final String[] API = {"api", "--api-key", "k", "--cluster-secret", SECRET,
            "--jdbc-url", "jdbc:mariadb://db/herald"};

    @TempDir
    Path dir;

    @Test
    void theDefaultsAreTheLibrariesDefaults() throws Exception {
        AbuseLimits defaults = gateway().settings().gateway().abuseLimits();
        assertThat(defaults.withMaxConnections(0)).isEqualTo(AbuseLimits.DEFAULTS);
        // the capacity follows this process's open-file limit (ConnectionCapacityOptionTest covers the rule)
        assertThat(defaults.maxConnections()).isPositive();
        assertThat(api().settings().api().limits()).isEqualTo(ApiLimits.DEFAULTS);
    }

    @Test
    void gatewayLimitsComeFromTheirOptions() throws Exception {
        AbuseLimits limits = gateway("--upstream-messages-per-second", "5", "--upstream-message-burst", "7",
                "--upstream-bytes-per-second", "0", "--upstream-byte-burst", "0", "--upstream-max-refusals", "9",
                "--max-connections-per-address", "0", "--max-connections", "500").settings().gateway().abuseLimits();

        assertThat(limits).isEqualTo(new AbuseLimits(new UpstreamRate(5, 7, 0, 0, 9), 0, 500, ProxySources.NONE));
    }

    @Test
    void apiLimitsComeFromTheirOptions() {
        ApiLimits limits = api("--login-failures-per-client", "3/10m", "--login-failures-per-address", "off",
                "--registrations-per-address", "0", "--trusted-proxies", "127.0.0.1,10.0.0.0/8")
                .settings().api().limits();

        assertThat(limits).isEqualTo(new ApiLimits(new AttemptLimit(3, Duration.ofMinutes(10)), AttemptLimit.OFF,
                AttemptLimit.OFF, List.of("127.0.0.1", "10.0.0.0/8")));
    }

    @Test
    void corsOriginsReachTheApiSettings() {
        assertThat(api().settings().api().corsOrigins()).isEmpty();
        assertThat(api("--cors-origin", "https://chat.example.com", "--cors-origin", "http://127.0.0.1:5173")
                .settings().api().corsOrigins()).containsExactly("https://chat.example.com", "http://127.0.0.1:5173");
    }

    @Test
    void aConfigFileCanSetThem() throws Exception {
        Path config = dir.resolve("api.properties");
        Files.writeString(config, "trusted-proxies=127.0.0.1\nlogin-failures-per-address=20/30s\n");
        String[] args = concat(API, "--config", config.toString());
        CommandLine cli = HeraldMain.commandLine();
        OptionDefaults.install(cli, args, Map.of());
        ApiCommand api = cli.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();

        ApiLimits limits = api.settings().api().limits();

        assertThat(limits.trustedProxies()).containsExactly("127.0.0.1");
        assertThat(limits.loginFailuresPerAddress()).isEqualTo(new AttemptLimit(20, Duration.ofSeconds(30)));
    }

    @Test
    void badValuesAreRefusedByName() {
        assertThat(fail(concat(GATEWAY, "--upstream-message-burst", "0")))
                .contains("--upstream-message-burst").contains("message burst must be at least 1");
        assertThat(fail(concat(GATEWAY, "--max-connections-per-address", "-1")))
                .contains("--max-connections-per-address: max connections per address must not be negative");
        assertThat(fail(concat(API, "--login-failures-per-client", "10")))
                .contains("--login-failures-per-client").contains("COUNT/DURATION");
        assertThat(fail(concat(API, "--registrations-per-address", "5/10ms")))
                .contains("--registrations-per-address").contains("at least 1 second");
        assertThat(fail(concat(API, "--trusted-proxies", "nginx.internal")))
                .contains("--trusted-proxies: trusted proxy 'nginx.internal' is not an IP address");
    }

    private static GatewayCommand gateway(String... more) {
        return HeraldMain.commandLine().parseArgs(concat(GATEWAY, more)).subcommand().commandSpec().commandLine()
                .getCommand();
    }

    private static ApiCommand api(String... more) {
        return HeraldMain.commandLine().parseArgs(concat(API, more)).subcommand().commandSpec().commandLine()
                .getCommand();
    }

    private static String fail(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).as("exit code of %s", String.join(" ", args)).isNotZero();
        return err.toString();
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
