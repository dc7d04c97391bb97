package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import io.herald.store.jdbc.Database;
import io.herald.store.jdbc.JdbcSettings;
import io.herald.store.jdbc.JdbcUpstreamArchive;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, uniquely named database on the local MariaDB or PostgreSQL server with Herald's schema, its
 * {@link JdbcUpstreamArchive}, and queries to check what was archived; {@link #close()} drops it. The servers are
 * found through the same settings as herald-store-jdbc's tests: {@code -Dherald.test.mariadb.url/user/password}
 * and {@code herald.test.postgres.*}, or the environment variables {@code HERALD_TEST_MARIADB_URL} etc.
 */
public final class ArchiveDatabase implements AutoCloseable {

    /** The two servers an archiver writes to in production. */
    public enum Server {
        MARIADB("MariaDB", "herald.test.mariadb", "jdbc:mariadb://127.0.0.1:3306/", "root"),
        POSTGRESQL("PostgreSQL", "herald.test.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres");

        private final String label;
        private final String prefix;
        private final String defaultUrl;
        private final String defaultUser;

        Server(String label, String prefix, String defaultUrl, String defaultUser) {
            this.label = label;
            this.prefix = prefix;
            this.defaultUrl = defaultUrl;
            this.defaultUser = defaultUser;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Server server;
    private final String adminUrl;
    private final String user;
    private final String password;
    private final String name;
    private final JdbcSettings settings;
    private final Database database;

    private ArchiveDatabase(Server server, String adminUrl, String user, String password, String name) {
        this.server = server;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.settings = JdbcSettings.of(withDatabase(adminUrl, name), user, password);
        this.database = Database.open(settings);
    }

    public static ArchiveDatabase create(Server server) {
        String url = setting(server.prefix + ".url", server.defaultUrl);
        String user = setting(server.prefix + ".user", server.defaultUser);
        String password = setting(server.prefix + ".password", "");
        String name = "herald_kafka_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            execute(url, user, password, "CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(server + " is not usable at " + url + " as '" + user + "' ("
                    + e.getMessage() + "): start it, or point -D" + server.prefix + ".url/.user/.password at one",
                    e);
        }
        return new ArchiveDatabase(server, url, user, password, name);
    }

    JdbcUpstreamArchive archive() {
        return new JdbcUpstreamArchive(database);
    }

    /** How to reach this database, for nodes that open pools of their own on it. */
    public JdbcSettings settings() {
        return settings;
    }

    public Server server() {
        return server;
    }

    public long rowCount() {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM upstream_message")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the archived messages", e);
        }
    }

    /** Every archived row, as the message it was stored from. */
    public List<UpstreamMessage> rows() {
        String sql = "SELECT client_id, message_id, content_type, payload, trace_id, sent_at, received_at"
                + ", generation FROM upstream_message";
        List<UpstreamMessage> messages = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                messages.add(new UpstreamMessage(rows.getString(1), rows.getLong(8), rows.getLong(2),
                        ContentType.ofCode(rows.getInt(3)), rows.getBytes(4), rows.getString(5), rows.getLong(6),
                        rows.getLong(7)));
            }
            return messages;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the archived messages", e);
        }
    }

    @Override
    public void close() {
        database.close();
        try {
            execute(adminUrl, user, password, "DROP DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test database " + name + " on " + server, e);
        }
    }

    private static void execute(String url, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** {@code jdbc:x://host:port/old?opts} with its database replaced: {@code jdbc:x://host:port/name?opts}. */
    private static String withDatabase(String url, String name) {
        int authority = url.indexOf("//");
        int query = url.indexOf('?', authority);
        int end = query < 0 ? url.length() : query;
        int path = url.indexOf('/', authority + 2);
        int hostEnd = path < 0 || path > end ? end : path;
        return url.substring(0, hostEnd) + "/" + name + url.substring(end);
    }

    private static String setting(String property, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.replace('.', '_').toUpperCase(Locale.ROOT));
        }
        return value == null ? defaultValue : value;
    }
}
