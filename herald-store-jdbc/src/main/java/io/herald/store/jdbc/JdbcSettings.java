package io.herald.store.jdbc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the database is and how many connections to keep open to it.
 *
 * <p>Supported URLs are those {@link SqlDialect#fromJdbcUrl} recognises: {@code jdbc:h2:}, {@code jdbc:mariadb:},
 * {@code jdbc:mysql:} and {@code jdbc:postgresql:}. A {@code jdbc:mysql:} URL needs either MySQL Connector/J on the
 * class path or the {@code permitMysqlScheme} option in the URL, because MariaDB Connector/J 3 (the driver shipped
 * with this module) otherwise refuses that scheme.
 *
 * @param jdbcUrl     the JDBC URL, validated against the supported dialects
 * @param username    the database user; may be empty for drivers that authenticate another way, never null
 * @param password    the password; empty when there is none, never null. Never printed by {@link #toString()}.
 * @param maxPoolSize how many pooled connections at most (and at least: the pool is kept full)
 */
public record JdbcSettings(String jdbcUrl, String username, String password, int maxPoolSize) {
    /** Enough for the gateway's store threads and the API, without overwhelming a shared database server. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    /** Far above any sensible pool for one server process: a larger value is almost certainly a typo. */
    public static final int MAX_POOL_SIZE_LIMIT = 500;
    /** H2's conventional administrator account, created with the embedded database. */
    public static final String DEFAULT_H2_USERNAME = "sa";
    public static final String DEFAULT_H2_PASSWORD = "";
    /** The file name (without H2's {@code .mv.db} suffix) of the embedded database in the data directory. */
    public static final String DEFAULT_H2_FILE_NAME = "herald";

    /*
     * H2 options for a database embedded in a server process:
     * DB_CLOSE_ON_EXIT=FALSE - H2 otherwise installs its own JVM shutdown hook that closes the database, racing the
     *   application's hook, which still drains sessions and writes acks through the pool; the application closes the
     *   pool itself, and H2 closes the database when the last pooled connection goes.
     * LOCK_TIMEOUT=10000 - H2's default one-second row-lock wait is short for concurrent writers (gateway threads
     *   inserting the same message for overlapping devices); ten seconds matches what the server databases wait.
     */
    private static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    private static final Pattern H2_MEMORY_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    public JdbcSettings {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new IllegalArgumentException("jdbcUrl is required, e.g. jdbc:postgresql://db-host:5432/herald");
        }
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:', was '" + redact(jdbcUrl) + "'");
        }
        SqlDialect.fromJdbcUrl(jdbcUrl); // rejects unsupported databases now rather than at the first query
        Objects.requireNonNull(username, "username must not be null (use an empty string for none)");
        Objects.requireNonNull(password, "password must not be null (use an empty string for none)");
        if (maxPoolSize < 1 || maxPoolSize > MAX_POOL_SIZE_LIMIT) {
            throw new IllegalArgumentException(
                    "maxPoolSize must be 1 to " + MAX_POOL_SIZE_LIMIT + ", was " + maxPoolSize);
        }
    }

    /** Settings with the {@link #DEFAULT_MAX_POOL_SIZE default pool size}. */
    public static JdbcSettings of(String jdbcUrl, String username, String password) {
        return new JdbcSettings(jdbcUrl, username, password, DEFAULT_MAX_POOL_SIZE);
    }

    /**
     * An embedded H2 database stored in {@code dataDir} (file {@value #DEFAULT_H2_FILE_NAME}.mv.db), for single-node
     * installations that run without a database server. H2 locks the file: one process at a time.
     */
    public static JdbcSettings h2File(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        String file = dataDir.toAbsolutePath().normalize().resolve(DEFAULT_H2_FILE_NAME).toString();
        if (file.indexOf(';') >= 0) {
            // ';' separates options in an H2 URL: such a path would be cut short and the rest read as settings.
            throw new IllegalArgumentException("the H2 data directory must not contain ';': " + dataDir);
        }
        return of("jdbc:h2:file:" + file + H2_OPTIONS, DEFAULT_H2_USERNAME, DEFAULT_H2_PASSWORD);
    }

    /**
     * The directory of an embedded H2 file database with an absolute path (as {@link #h2File} writes it); empty for
     * any other URL. A standalone node keeps its other private files (the token keys) next to the database.
     */
    public Optional<Path> h2FileDirectory() {
        PrivateH2Files files = PrivateH2Files.forUrl(jdbcUrl);
        return files == null ? Optional.empty() : Optional.of(files.directory());
    }

    /**
     * A private in-memory H2 database, for tests. It lives as long as the {@link Database} opened on it keeps its
     * pooled connections, so two databases opened on the same name at the same time share the data.
     */
    public static JdbcSettings h2InMemory(String name) {
        if (name == null || !H2_MEMORY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "in-memory database name must be 1-64 letters, digits or '_', was '" + name + "'");
        }
        return of("jdbc:h2:mem:" + name + H2_OPTIONS, DEFAULT_H2_USERNAME, DEFAULT_H2_PASSWORD);
    }

    /** The database kind, from the URL. */
    public SqlDialect dialect() {
        return SqlDialect.fromJdbcUrl(jdbcUrl);
    }

    /** The URL with any {@code password=} parameter masked, fit for logs and error messages. */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    private static String redact(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    /** Shows the URL (redacted), user and pool size; never the password. */
    @Override
    public String toString() {
        return "JdbcSettings[jdbcUrl=" + redactedUrl() + ", username=" + username + ", password="
                + (password.isEmpty() ? "(none)" : "***") + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
