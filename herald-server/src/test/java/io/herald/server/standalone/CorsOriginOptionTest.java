package io.herald.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.HeraldMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --cors-origin} (the device API mixin standalone and the cluster {@code api} role share): none by default,
 * repeatable, checked by name in both; the api role's settings: AbuseLimitOptionsTest.
 */
class CorsOriginOptionTest {
    private static final String[] API = {"api", "--api-key", "k", "--cluster-secret", "0123456789abcdef-secret",
            "--jdbc-url", "jdbc:mariadb://db/herald"};

    @TempDir
    Path dataDir;

    @Test
    void noOriginIsAllowedByDefault() throws Exception {
        assertThat(standalone().api().corsOrigins()).isEmpty();
    }

    @Test
    void originsAreRepeatableAndCommaSeparated() throws Exception {
        assertThat(standalone("--cors-origin", "https://chat.example.com,http://127.0.0.1:5173",
                "--cors-origin", "HTTPS://Admin.Example.com").api().corsOrigins())
                .containsExactly("https://chat.example.com", "http://127.0.0.1:5173", "https://admin.example.com");
        assertThat(standalone("--cors-origin", "*").api().corsOrigins()).containsExactly("*");
    }

    @Test
    void aBadOriginIsRefusedByName() {
        for (String role : new String[] {"standalone", "api"}) {
            String[] base = role.equals("api") ? API : new String[] {"standalone", "--data-dir", dataDir.toString()};
            String[] args = concat(base, "--cors-origin", "https://chat.example.com/app");
            StringWriter err = new StringWriter();
            CommandLine cli = HeraldMain.commandLine();
            cli.setErr(new PrintWriter(err));

            assertThat(cli.execute(args)).as(role).isNotZero();
            assertThat(err.toString()).as(role)
                    .contains("--cors-origin: CORS origin 'https://chat.example.com/app' is not scheme://host[:port]");
        }
    }

    private StandaloneNode.Settings standalone(String... more) throws Exception {
        StandaloneCommand command = HeraldMain.commandLine()
                .parseArgs(concat(new String[] {"standalone", "--data-dir", dataDir.toString()}, more))
                .subcommand().commandSpec().commandLine().getCommand();
        return command.settings("key");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
