package io.herald.server.cli;

import io.herald.store.jdbc.JdbcSettings;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which relational database holds devices, offline messages and the upstream archive. */
public final class DatabaseOptions {

    @Option(names = "--jdbc-url", description = "MariaDB/MySQL or PostgreSQL JDBC URL, e.g. "
            + "jdbc:mariadb://127.0.0.1:3306/herald or jdbc:postgresql://127.0.0.1:5432/herald.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "", description = "Database user for --jdbc-url.")
    String jdbcUser;

    @Option(names = "--jdbc-password",
            description = "Database password for --jdbc-url; better in HERALD_JDBC_PASSWORD than in the process list.")
    String jdbcPassword;

    /** The configured database, if a URL was given. */
    public Optional<JdbcSettings> settings() {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Setting.of("--jdbc-url",
                () -> JdbcSettings.of(jdbcUrl, jdbcUser, jdbcPassword == null ? "" : jdbcPassword)));
    }

    /** The configured database; cluster roles share one, so it has no embedded default. */
    public JdbcSettings required() {
        return settings().orElseThrow(() -> new IllegalArgumentException(
                "--jdbc-url is required: cluster nodes share one MariaDB/MySQL or PostgreSQL database"));
    }
}
