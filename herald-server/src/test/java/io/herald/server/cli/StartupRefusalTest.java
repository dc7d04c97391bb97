package io.herald.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.HeraldMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * What a new user sees when a start is refused (issue 9, "tried as a new user would"): one line naming the option,
 * port or path, a non-zero exit, and nothing opened or bound before every option was checked.
 */
class StartupRefusalTest {
    private static final String SECRET = "0123456789abcdef-secret";
    /** Nothing listens there: a role that got as far as its database would fail with a connection error instead. */
    private static final String UNREACHABLE_DB = "jdbc:mariadb://127.0.0.1:1/herald";

    @TempDir
    Path dir;

    /** A value of the wrong type: one line naming the option, not the 150-line usage. */
    @ParameterizedTest
    @CsvSource({"standalone,--http-port,abc", "standalone,--heartbeat,soon", "gateway,--weight,heavy",
            "api,--node-number,one", "archiver,--ops-port,x", "standalone,--login-failures-per-client,10"})
    void aMistypedValueIsOneLineNamingTheOption(String role, String option, String value) {
        Refusal refusal = run(role, option, value);

        assertThat(refusal.code).isEqualTo(2);
        assertThat(refusal.lines()).hasSize(1);
        assertThat(refusal.err).contains(option).doesNotContain("Usage:");
    }

    /**
     * A value out of range is refused before the data directory is created, the database opened (the cluster roles'
     * is unreachable, so getting that far would be a connection error) or a port bound.
     */
    @ParameterizedTest
    @CsvSource({"standalone,--node-number,5000", "standalone,--node-id,5000", "standalone,--http-port,70000",
            "standalone,--tcp-port,-2", "standalone,--ws-port,65536", "standalone,--heartbeat,0s",
            "standalone,--auth-timeout,0s", "standalone,--max-frame-bytes,10", "standalone,--retry-interval,0s",
            "standalone,--max-inflight,0", "standalone,--upstream-workers,0", "standalone,--io-threads,-1",
            "standalone,--token-ttl,0s", "standalone,--secret-hash-iterations,0", "standalone,--drain-window,2h",
            "standalone,--shutdown-deadline,0s", "standalone,--bind,' '", "standalone,--public-host,' '",
            "gateway,--gateway-id,'no spaces'", "gateway,--internal-port,-1", "gateway,--ops-port,70000",
            "gateway,--tcp-port,-1", "gateway,--heartbeat,0s", "gateway,--public-host,''", "gateway,--drain-window,2h",
            "api,--node-number,1024", "api,--http-port,-1", "api,--link-timeout,0s", "api,--token-ttl,0s",
            "api,--secret-hash-iterations,0", "archiver,--ops-port,70000", "archiver,--bind,' '",
            "standalone,--log-format,xml", "gateway,--log-level,loud", "api,--log-format,yaml",
            "archiver,--log-level,verbose", "standalone,--idempotency-window,1m", "api,--idempotency-window,8d",
            "standalone,--webhook-url,http://127.0.0.1:9/hook", "standalone,--webhook-queue-size,0",
            "standalone,--message-status-retention,10s", "api,--message-status-retention,60d",
            "gateway,--webhook-url,ftp://example.com/", "gateway,--events-topic,herald.upstream",
            "api,--webhook-secret,a-secret-without-a-url"})
    void anOutOfRangeValueIsRefusedBeforeAnythingStarts(String role, String option, String value) {
        Path dataDir = dir.resolve("data");
        List<String> args = new ArrayList<>(switch (role) {
            case "standalone" -> List.of("standalone", "--data-dir", dataDir.toString(), "--http-port", "0",
                    "--tcp-port", "0", "--ws-port", "0", "--api-key", "key");
            case "gateway" -> List.of("gateway", "--gateway-id", "g1", "--cluster-secret", SECRET,
                    "--jdbc-url", UNREACHABLE_DB, "--tcp-port", "0", "--ws-port", "0", "--internal-port", "0",
                    "--ops-port", "0");
            case "api" -> List.of("api", "--api-key", "key", "--cluster-secret", SECRET, "--jdbc-url", UNREACHABLE_DB,
                    "--http-port", "0");
            default -> List.of("archiver", "--jdbc-url", UNREACHABLE_DB, "--ops-port", "0");
        });
        int given = args.indexOf(option);
        if (given >= 0) {
            args.set(given + 1, value);
        } else {
            args.add(option);
            args.add(value);
        }

        Refusal refusal = run(args.toArray(String[]::new));

        assertThat(refusal.code).isEqualTo(2);
        assertThat(refusal.lines()).hasSize(1);
        assertThat(refusal.err).contains(option).contains("must");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aDeviceOrHttpPortInUseIsOneLineNamingThePort() throws Exception {
        for (String option : new String[] {"--tcp-port", "--ws-port", "--http-port"}) {
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                List<String> args = new ArrayList<>(List.of("standalone", "--bind", "127.0.0.1",
                        "--data-dir", dir.resolve("data" + option).toString(), "--api-key", "key",
                        "--http-port", "0", "--tcp-port", "0", "--ws-port", "0", "--drain-window", "0s"));
                args.set(args.indexOf(option) + 1, String.valueOf(taken.getLocalPort()));

                Refusal refusal = run(args.toArray(String[]::new));

                assertThat(refusal.code).as(option).isEqualTo(1);
                assertThat(refusal.lines()).as(option).hasSize(1);
                assertThat(refusal.err).as(option).contains("127.0.0.1:" + taken.getLocalPort())
                        .contains("in use");
            }
        }
    }

    /** A second standalone process on the same --data-dir: one line naming the directory, not H2's stack trace. */
    @Test
    void aDataDirectoryInUseByAnotherServerIsOneLineNamingIt() throws Exception {
        Path dataDir = dir.resolve("shared");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HeraldMain.class.getName(), "standalone",
                "--bind", "127.0.0.1", "--data-dir", dataDir.toString(), "--api-key", "key", "--http-port", "0",
                "--tcp-port", "0", "--ws-port", "0", "--drain-window", "0s")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("is up"));
            assertThat(line).as("the first server started").isNotNull();

            Refusal refusal = run("standalone", "--bind", "127.0.0.1", "--data-dir", dataDir.toString(),
                    "--api-key", "key", "--http-port", "0", "--tcp-port", "0", "--ws-port", "0");

            assertThat(refusal.code).isEqualTo(1);
            assertThat(refusal.lines()).hasSize(1);
            assertThat(refusal.err).contains("--data-dir " + dataDir.toAbsolutePath()).contains("in use");
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefusedByName() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        Refusal refusal = run("standalone", "--data-dir", file.toString(), "--api-key", "key");

        assertThat(refusal.lines()).hasSize(1);
        assertThat(refusal.err).contains("--data-dir").contains("not a directory");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsRefusedByName() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        Refusal refusal = run("standalone", "--data-dir", file.resolve("data").toString(), "--api-key", "key");

        assertThat(refusal.code).isEqualTo(2);
        assertThat(refusal.lines()).hasSize(1);
        assertThat(refusal.err).contains("--data-dir").contains("cannot be created");
    }

    @Test
    void theRoleListNamesBench() {
        StringWriter out = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();

        assertThat(out.toString()).containsPattern("(?m)^\\s+bench\\s+\\S");
        for (String role : new String[] {"standalone", "gateway", "api", "archiver", "client"}) {
            assertThat(out.toString()).containsPattern("(?m)^\\s+" + role + "\\s+\\S");
        }
    }

    /** One name, --node-number, for the number inside message ids; standalone's old --node-id still works, unlisted. */
    @Test
    void theNodeNumberHasOneNameAndTheOldSpellingStillWorks() throws Exception {
        StringWriter help = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setOut(new PrintWriter(help));
        cli.execute("standalone", "--help");
        assertThat(help.toString()).contains("--node-number").doesNotContain("--node-id");

        for (String option : new String[] {"--node-number", "--node-id"}) {
            io.herald.server.standalone.StandaloneNode.Settings settings = standaloneSettings(option, "7");
            assertThat(settings.nodeId()).as(option).isEqualTo(7);
        }
    }

    private io.herald.server.standalone.StandaloneNode.Settings standaloneSettings(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("standalone", "--data-dir", dir.resolve("d").toString()));
        args.addAll(List.of(more));
        Object command = HeraldMain.commandLine().parseArgs(args.toArray(String[]::new)).subcommand().commandSpec()
                .commandLine().getCommand();
        var method = command.getClass().getDeclaredMethod("settings", String.class);
        method.setAccessible(true);
        return (io.herald.server.standalone.StandaloneNode.Settings) method.invoke(command, "key");
    }

    private static Refusal run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Refusal(code, err.toString());
    }

    private record Refusal(int code, String err) {
        List<String> lines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}
