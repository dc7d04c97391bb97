package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.HeraldMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Command lines for option tests: the least the cluster roles need, parsing into a command, and refusals. */
final class RoleCommandLines {
    static final String SECRET = "0123456789abcdef-secret";
    static final String[] GATEWAY = {"gateway", "--gateway-id", "g1", "--cluster-secret", SECRET,
            "--jdbc-url", "jdbc:mariadb://db/herald"};
    static final String[] API = {"api", "--api-key", "k", "--cluster-secret", SECRET,
            "--jdbc-url", "jdbc:mariadb://db/herald"};

    private RoleCommandLines() {
    }

    static String[] with(String[] role, String... more) {
        String[] all = new String[role.length + more.length];
        System.arraycopy(role, 0, all, 0, role.length);
        System.arraycopy(more, 0, all, role.length, more.length);
        return all;
    }

    /** The role's command with these arguments parsed into it, not run. */
    static <T> T parse(String... args) {
        return HeraldMain.commandLine().parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
    }

    /** Runs the command line, which must fail, and returns what it said on stderr. */
    static String refusal(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = HeraldMain.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).as("exit code of %s", String.join(" ", args)).isNotZero();
        return err.toString();
    }
}
