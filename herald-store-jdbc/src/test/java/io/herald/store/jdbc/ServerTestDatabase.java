package io.herald.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A uniquely named database created on a running MariaDB or PostgreSQL server for one test class, and dropped
 * afterwards. The server is found through {@link TestEnvironment} settings, so CI may point anywhere; when it
 * cannot be reached the test fails, naming the settings, because a silently skipped database is an untested one.
 */
final class ServerTestDatabase implements TestDatabase {
    private static final Logger log = LoggerFactory.getLogger(ServerTestDatabase.class);

    private final String name;
    private final String adminUrl;
    private final String username;
    private final String password;
    private final String databaseName;
    private final JdbcSettings settings;

    private ServerTestDatabase(String name, String adminUrl, String username, String password) {
        this.name = name;
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        this.databaseName = TestDatabase.uniqueName();
        this.settings = JdbcSettings.of(withDatabase(adminUrl, databaseName), username, password);
    }

    /** A fresh database on the MariaDB server of {@code herald.test.mariadb.url/user/password}. */
    static ServerTestDatabase mariaDb() {
        return create("MariaDB", "herald.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/", "root");
    }

    /**
     * A fresh database on the PostgreSQL server of {@code herald.test.postgres.url/user/password}; the URL names
     * the database to connect to for CREATE DATABASE.
     */
    static ServerTestDatabase postgres() {
        return create("PostgreSQL", "herald.test.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres");
    }

    private static ServerTestDatabase create(String name, String prefix, String defaultUrl, String defaultUser) {
        String url = TestEnvironment.get(prefix + ".url", defaultUrl);
        String user = TestEnvironment.get(prefix + ".user", defaultUser);
        String password = TestEnvironment.get(prefix + ".password", "");
        ServerTestDatabase database = new ServerTestDatabase(name, url, user, password);
        try {
            database.execute("CREATE DATABASE " + database.databaseName);
        } catch (SQLException e) {
            throw new IllegalStateException(name + " is not usable at " + url + " as '" + user + "' ("
                    + e.getMessage() + "). These tests need it: start it, or point -D" + prefix + ".url, "
                    + prefix + ".user and " + prefix + ".password (or environment "
                    + TestEnvironment.environmentName(prefix + ".url") + " etc.) at one.", e);
        }
        log.info("{}: created test database {}", name, database.databaseName);
        return database;
    }

    /**
     * {@code url} with its database path replaced by {@code database}: {@code jdbc:x://host:port/old?opts} becomes
     * {@code jdbc:x://host:port/database?opts}.
     */
    static String withDatabase(String url, String database) {
        int authority = url.indexOf("//");
        if (authority < 0) {
            throw new IllegalArgumentException("expected a jdbc:<driver>://host... URL, was " + url);
        }
        int query = url.indexOf('?', authority);
        int end = query < 0 ? url.length() : query;
        int path = url.indexOf('/', authority + 2);
        int hostEnd = path < 0 || path > end ? end : path;
        return url.substring(0, hostEnd) + "/" + database + url.substring(end);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl, username, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JdbcSettings settings() {
        return settings;
    }

    /** Drops the database; call it after the pool is closed, as PostgreSQL refuses to drop one in use. */
    @Override
    public void close() {
        try {
            execute("DROP DATABASE " + databaseName);
            log.info("{}: dropped test database {}", name, databaseName);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop " + name + " test database " + databaseName, e);
        }
    }
}
