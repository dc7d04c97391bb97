package io.herald.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts message rows keyed by {@code (client_id, message_id)}, skipping keys that are already stored, with the
 * same SQL on every database.
 *
 * <p>The databases' own "insert unless present" forms differ (MariaDB {@code INSERT IGNORE}, which also swallows
 * truncation errors; PostgreSQL {@code ON CONFLICT DO NOTHING}; H2 {@code MERGE}) and report affected rows
 * differently once batches are rewritten. So this class stays with plain {@code INSERT} and escalates only when a
 * duplicate actually shows up:
 * <ol>
 *   <li>Insert the whole chunk as one JDBC batch: the normal case, one round trip.</li>
 *   <li>On a duplicate key, roll back to a savepoint, read which keys of the chunk are stored (one indexed query)
 *       and batch-insert the rest: a resend or a repeated push costs two round trips, not one per row.</li>
 *   <li>Should that batch still collide (another transaction inserted the same key meanwhile, or the chunk itself
 *       repeats a key), insert row by row, each under its own savepoint, skipping duplicates.</li>
 * </ol>
 * Once a chunk has collided, the following chunks of the same call start at step 2: a repeated push to 100,000
 * devices collides in every chunk, and a failing batch is not cheap everywhere (H2 runs all its entries and builds
 * an exception for each). Savepoints are needed because PostgreSQL aborts the whole transaction on any failed
 * statement; on MariaDB and H2 they cost little and keep one code path.
 *
 * <p>Create one instance per store call and use it from one thread: it remembers whether the call met stored keys.
 *
 * @param <T> the row type
 */
final class IdempotentInsert<T> {

    /** Sets the parameters of the INSERT for one row. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(IdempotentInsert.class);

    private final SqlDialect dialect;
    private final String table;
    private final String insertSql;
    private final Function<T, MessageKey> keyOf;
    private final Binder<T> binder;
    private boolean metStoredKeys;

    /**
     * @param table     the table, whose primary key is {@code (client_id, message_id)}
     * @param insertSql a plain single-row {@code INSERT INTO table (...) VALUES (?, ...)}
     */
    IdempotentInsert(SqlDialect dialect, String table, String insertSql, Function<T, MessageKey> keyOf,
                     Binder<T> binder) {
        this.dialect = dialect;
        this.table = table;
        this.insertSql = insertSql;
        this.keyOf = keyOf;
        this.binder = binder;
    }

    /**
     * Inserts the rows whose keys are not stored yet, within the caller's transaction ({@code connection} must
     * have auto-commit off). Rows must number at most {@link Batching#CHUNK_SIZE} and should not repeat a key
     * (repeats are handled, on the slow path).
     *
     * @return how many rows were inserted
     */
    int insert(Connection connection, List<T> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        if (!metStoredKeys) {
            if (tryBatch(connection, rows)) {
                return rows.size();
            }
            metStoredKeys = true;
        }
        List<T> unstored = withoutStored(connection, rows);
        log.debug("{}: {} of {} rows already stored, inserting the rest", table, rows.size() - unstored.size(),
                rows.size());
        if (unstored.isEmpty() || tryBatch(connection, unstored)) {
            return unstored.size();
        }
        log.debug("{}: batch collided again, inserting {} rows one by one", table, unstored.size());
        return insertOneByOne(connection, unstored);
    }

    /** True when the whole batch was inserted; false (and nothing inserted) when a key was already there. */
    private boolean tryBatch(Connection connection, List<T> rows) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (T row : rows) {
                binder.bind(insert, row);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            if (!dialect.isDuplicateKey(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            return false;
        }
        connection.releaseSavepoint(savepoint);
        return true;
    }

    /** The rows whose keys are not in the table, read with one query on the primary key. */
    private List<T> withoutStored(Connection connection, List<T> rows) throws SQLException {
        Set<String> clientIds = new LinkedHashSet<>();
        Set<Long> messageIds = new LinkedHashSet<>();
        for (T row : rows) {
            MessageKey key = keyOf.apply(row);
            clientIds.add(key.clientId());
            messageIds.add(key.messageId());
        }
        // Both columns as IN lists: the client ids lead the primary key, so every database reads it by index, and
        // the few extra pairs the cross product may match are dropped below.
        String sql = "SELECT client_id, message_id FROM " + table
                + " WHERE client_id IN " + InList.of(clientIds.size())
                + " AND message_id IN " + InList.of(messageIds.size());
        Set<MessageKey> stored = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int next = InList.bindStrings(select, 1, clientIds);
            InList.bindLongs(select, next, messageIds);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    stored.add(new MessageKey(result.getString(1), result.getLong(2)));
                }
            }
        }
        List<T> unstored = new ArrayList<>(rows.size());
        for (T row : rows) {
            if (!stored.contains(keyOf.apply(row))) {
                unstored.add(row);
            }
        }
        return unstored;
    }

    private int insertOneByOne(Connection connection, List<T> rows) throws SQLException {
        int inserted = 0;
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (T row : rows) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    binder.bind(insert, row);
                    inserted += insert.executeUpdate();
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    if (!dialect.isDuplicateKey(e)) {
                        throw e;
                    }
                    connection.rollback(savepoint);
                }
            }
        }
        return inserted;
    }
}
