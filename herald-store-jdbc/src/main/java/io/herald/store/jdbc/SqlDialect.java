package io.herald.store.jdbc;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The databases Herald runs on, and the little that differs between them. The SQL itself is written once and
 * portably; what cannot be is kept here: column types the migration takes as Flyway placeholders, driver options
 * that make JDBC batches fast, and how each database reports a duplicate key.
 */
public enum SqlDialect {
    /** Embedded H2 2.x (file or in-memory). */
    H2(List.of("jdbc:h2:"),
            "VARCHAR(128)",
            // Stored inline in the row, read back with getBytes: no LOB handles to manage. 16 MiB leaves headroom
            // over the 8 MiB wire maximum.
            "VARBINARY(16777216)",
            "",
            Set.of("23505"),
            Set.of()),

    /** MariaDB, and MySQL through a {@code jdbc:mysql:} URL. */
    MARIADB(List.of("jdbc:mariadb:", "jdbc:mysql:"),
            // The server default collation (utf8mb4_general_ci) ignores case, which would make "Sensor-1" and
            // "sensor-1" the same primary key. Client ids are ASCII (ClientIds), so a binary ASCII column keeps them
            // case-sensitive as on H2 and PostgreSQL, and makes the key a quarter of the size.
            "VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin",
            // Up to 16 MiB - 1: holds the 8 MiB wire maximum (BLOB's 64 KiB would not).
            "MEDIUMBLOB",
            // InnoDB explicitly: a server whose default engine is MyISAM would silently lose transactions.
            " ENGINE=InnoDB",
            Set.of(),
            // ER_DUP_KEY, ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME; SQLState 23000 alone also covers NOT NULL
            // and foreign-key violations, which must not be mistaken for "already stored".
            Set.of(1022, 1062, 1586)),

    /** PostgreSQL. */
    POSTGRESQL(List.of("jdbc:postgresql:"),
            "VARCHAR(128)",
            "BYTEA",
            "",
            Set.of("23505"),
            Set.of());

    /** Placeholder (as {@code ${clientIdType}} in migrations): the column type of client ids. */
    public static final String CLIENT_ID_TYPE = "clientIdType";
    /** Placeholder: a binary column type holding at least 8 MiB. */
    public static final String PAYLOAD_TYPE = "payloadType";
    /** Placeholder: text appended to every CREATE TABLE. */
    public static final String TABLE_OPTIONS = "tableOptions";

    private static final String MYSQL_SCHEME = "jdbc:mysql:";
    private static final int MAX_CHAIN_DEPTH = 16;

    private final List<String> urlPrefixes;
    private final String clientIdType;
    private final String payloadType;
    private final String tableOptions;
    private final Set<String> duplicateKeyStates;
    private final Set<Integer> duplicateKeyErrorCodes;

    SqlDialect(List<String> urlPrefixes, String clientIdType, String payloadType, String tableOptions,
               Set<String> duplicateKeyStates, Set<Integer> duplicateKeyErrorCodes) {
        this.urlPrefixes = urlPrefixes;
        this.clientIdType = clientIdType;
        this.payloadType = payloadType;
        this.tableOptions = tableOptions;
        this.duplicateKeyStates = duplicateKeyStates;
        this.duplicateKeyErrorCodes = duplicateKeyErrorCodes;
    }

    /** The dialect of a JDBC URL; {@link IllegalArgumentException} naming the supported ones otherwise. */
    public static SqlDialect fromJdbcUrl(String jdbcUrl) {
        if (jdbcUrl != null) {
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            for (SqlDialect dialect : values()) {
                for (String prefix : dialect.urlPrefixes) {
                    if (lower.startsWith(prefix)) {
                        return dialect;
                    }
                }
            }
        }
        String shown = jdbcUrl == null ? "null" : jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 40));
        throw new IllegalArgumentException("unsupported JDBC URL '" + shown + "...': Herald supports "
                + "jdbc:h2:, jdbc:mariadb:, jdbc:mysql: and jdbc:postgresql:");
    }

    /** The values for the Flyway placeholders of {@code db/migration}. */
    public Map<String, String> migrationPlaceholders() {
        Map<String, String> placeholders = new LinkedHashMap<>();
        placeholders.put(CLIENT_ID_TYPE, clientIdType);
        placeholders.put(PAYLOAD_TYPE, payloadType);
        placeholders.put(TABLE_OPTIONS, tableOptions);
        return placeholders;
    }

    /**
     * Driver properties for a pool on {@code jdbcUrl}: fast JDBC batches, and payloads sent as binary. A property
     * the URL already sets is left out, so the URL always wins.
     * <ul>
     *   <li>PostgreSQL: {@code reWriteBatchedInserts=true} makes one multi-row INSERT of many batch entries;
     *       without it pgjdbc sends every row as its own statement (several times slower for 100,000 rows).</li>
     *   <li>MariaDB and MySQL: {@code useServerPrepStmts=true}. Connector/J 3 otherwise prepares statements on the
     *       client and sends parameters inside the SQL text, escaping binary data; an 8 MiB payload of zero bytes
     *       doubles to 16 MiB and exceeds the server's default 16 MiB {@code max_allowed_packet}. Server-side
     *       statements send payloads as raw bytes (and are cached per connection). INSERT batches then go out with
     *       the binary bulk protocol ({@code useBulkStmtsForInserts}, on by default) on MariaDB servers.</li>
     *   <li>MySQL ({@code jdbc:mysql:}) also {@code rewriteBatchedStatements=true}: MySQL servers lack the bulk
     *       protocol, and both MySQL Connector/J and MariaDB Connector/J 3.5 then rewrite a batch into multi-row
     *       INSERTs instead of one statement per row.</li>
     *   <li>H2: nothing; it runs in-process, and rejects settings it does not know.</li>
     * </ul>
     */
    public Map<String, String> driverProperties(String jdbcUrl) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (this == POSTGRESQL) {
            properties.put("reWriteBatchedInserts", "true");
        } else if (this == MARIADB) {
            properties.put("useServerPrepStmts", "true");
            if (jdbcUrl.toLowerCase(Locale.ROOT).startsWith(MYSQL_SCHEME)) {
                properties.put("rewriteBatchedStatements", "true");
            }
        }
        String lowerUrl = jdbcUrl.toLowerCase(Locale.ROOT);
        properties.keySet().removeIf(name -> lowerUrl.contains(name.toLowerCase(Locale.ROOT) + "="));
        return properties;
    }

    /**
     * What to append to {@code client_id} in a comparison or ORDER BY so that ids compare by their characters'
     * codes, as {@link io.herald.core.device.DeviceStore#list} promises. H2 compares strings that way and the
     * MariaDB column is {@code ascii_bin}; a PostgreSQL database's default collation may be a language's
     * (en_US sorts "a-b" after "ab"), so its queries say {@code COLLATE "C"}, which is also what lets them use the
     * primary key index in a database created with the C collation.
     */
    public String binaryCollation() {
        return this == POSTGRESQL ? " COLLATE \"C\"" : "";
    }

    /**
     * Whether {@code e}, or an exception chained to it (batch failures chain the per-row errors), reports a
     * duplicate primary or unique key, as opposed to any other failure, integrity violations included.
     */
    public boolean isDuplicateKey(SQLException e) {
        // Bounded walks: a driver that chains exceptions in a cycle must not hang the caller.
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < MAX_CHAIN_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                SQLException next = sql;
                for (int i = 0; next != null && i < MAX_CHAIN_DEPTH; i++, next = next.getNextException()) {
                    if (reportsDuplicateKey(next)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean reportsDuplicateKey(SQLException e) {
        return (e.getSQLState() != null && duplicateKeyStates.contains(e.getSQLState()))
                || duplicateKeyErrorCodes.contains(e.getErrorCode());
    }
}
