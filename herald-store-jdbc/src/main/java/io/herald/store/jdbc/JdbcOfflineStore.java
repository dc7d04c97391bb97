package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import io.herald.core.store.OfflineStore.StoredCopy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** QoS 1 messages waiting for offline devices, one row per device and message in table {@code offline_message}. */
public final class JdbcOfflineStore implements OfflineStore {
    static final String TABLE = "offline_message";
    static final String INSERT = "INSERT INTO " + TABLE
            + " (client_id, message_id, content_type, qos, trace_id, payload, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String PENDING = "SELECT message_id, content_type, qos, trace_id, payload, created_at,"
            + " expires_at FROM " + TABLE + " WHERE client_id = ? AND expires_at > ? ORDER BY message_id LIMIT ?";
    private static final String REMOVE = "DELETE FROM " + TABLE + " WHERE client_id = ? AND message_id = ?";
    private static final String COUNT_PENDING =
            "SELECT COUNT(*) FROM " + TABLE + " WHERE client_id = ? AND expires_at > ?";
    private static final String PURGE_EXPIRED = "DELETE FROM " + TABLE + " WHERE expires_at <= ?";

    private static final Logger log = LoggerFactory.getLogger(JdbcOfflineStore.class);

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;
    private final Database database;

    public JdbcOfflineStore(Database database) {
        this.database = database;
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.flusher = database.flusher();
    }

    /**
     * Inserts the message for every distinct client id in batches of {@link Batching#CHUNK_SIZE}, skipping devices
     * that already hold it.
     *
     * <p>Each chunk is its own transaction, on one borrowed connection. A single transaction for a push to 100,000
     * devices would hold 100,000 fresh row locks and as much undo log until the very end, and one failure would
     * discard everything; per chunk, locks and logs stay small. What a failure leaves is a prefix of the devices
     * stored, and since storing is idempotent the caller recovers by storing again: committed chunks are skipped.
     *
     * <p>Returns once the rows are committed and, on an embedded H2 file database, written and synced to the file
     * (see {@link CommitFlusher}): a process killed after the return keeps them.
     *
     * @throws StoreException when the database fails; devices of chunks committed before it keep the message
     */
    @Override
    public void store(Collection<String> clientIds, PushMessage message) {
        if (commitRows(clientIds, message)) {
            flusher.awaitDurable();
        }
    }

    /**
     * {@link #store}, without holding the caller's thread: the stage completes once the rows are committed and
     * durable (in the file of an embedded H2 database; on a database server, once committed). A push to at most
     * {@link Batching#CHUNK_SIZE} devices joins the writes of concurrent pushes in one group commit
     * ({@link OfflineInsertGroups}) and returns at once; a larger one is written here, chunk by chunk, as
     * {@link #store} does. A failed write fails the stage (or, for the larger ones, throws).
     */
    @Override
    public CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(clientIds));
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (targets.size() > Batching.CHUNK_SIZE) {
            return commitRows(targets, message) ? flusher.durable() : CompletableFuture.completedFuture(null);
        }
        List<OfflineInsertGroups.Row> rows = new ArrayList<>(targets.size());
        for (String clientId : targets) {
            rows.add(new OfflineInsertGroups.Row(clientId, message));
        }
        return database.offlineInserts().submit(rows);
    }

    /** Commits the rows; false when there was no target. */
    private boolean commitRows(Collection<String> clientIds, PushMessage message) {
        List<String> targets = new ArrayList<>(new LinkedHashSet<>(clientIds));
        if (targets.isEmpty()) {
            return false;
        }
        IdempotentInsert<String> insert = new IdempotentInsert<>(dialect, TABLE, INSERT,
                clientId -> new MessageKey(clientId, message.messageId()),
                (statement, clientId) -> bind(statement, clientId, message));
        long started = System.nanoTime();
        int inserted = 0;
        int committedChunks = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // restored by the pool when the connection goes back
            for (List<String> chunk : Batching.chunks(targets, Batching.CHUNK_SIZE)) {
                inserted += Transactions.inTransaction(connection, c -> insert.insert(c, chunk));
                committedChunks++;
            }
        } catch (SQLException e) {
            int committed = Math.min(targets.size(), committedChunks * Batching.CHUNK_SIZE);
            throw new StoreException("Could not store message " + message.messageId() + " for " + targets.size()
                    + " devices (" + committed + " of them were stored before the failure; storing again is safe)",
                    e);
        }
        log.debug("Stored message {} for {} of {} devices in {} ms", message.messageId(), inserted,
                targets.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return true;
    }

    static void bind(PreparedStatement insert, String clientId, PushMessage message) throws SQLException {
        insert.setString(1, clientId);
        insert.setLong(2, message.messageId());
        insert.setInt(3, message.contentType().code());
        insert.setInt(4, message.qos().level());
        if (message.traceId() == null) {
            insert.setNull(5, Types.VARCHAR);
        } else {
            insert.setString(5, message.traceId());
        }
        insert.setBytes(6, message.payload());
        insert.setLong(7, message.createdAt());
        insert.setLong(8, message.expiresAt());
    }

    @Override
    public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        List<PushMessage> messages = new ArrayList<>(Math.min(limit, 64));
        if (limit == 0) {
            return messages;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(PENDING)) {
            select.setString(1, clientId);
            select.setLong(2, nowMillis);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    messages.add(new PushMessage(rows.getLong(1), Codes.contentType(rows.getInt(2)),
                            Codes.qos(rows.getInt(3)), rows.getBytes(5), rows.getString(4), rows.getLong(6),
                            rows.getLong(7)));
                }
            }
            return messages;
        } catch (SQLException e) {
            throw new StoreException("Could not read pending messages of " + clientId, e);
        }
    }

    @Override
    public boolean remove(String clientId, long messageId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(REMOVE)) {
            delete.setString(1, clientId);
            delete.setLong(2, messageId);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("Could not remove message " + messageId + " of " + clientId, e);
        }
    }

    /** One JDBC batch of deletes and one commit per {@link Batching#CHUNK_SIZE} copies, on one connection. */
    @Override
    public void removeAll(Collection<StoredCopy> copies) {
        if (copies.isEmpty()) {
            return;
        }
        List<StoredCopy> all = List.copyOf(copies);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // restored by the pool when the connection goes back
            for (List<StoredCopy> chunk : Batching.chunks(all, Batching.CHUNK_SIZE)) {
                Transactions.inTransaction(connection, c -> {
                    try (PreparedStatement delete = c.prepareStatement(REMOVE)) {
                        for (StoredCopy copy : chunk) {
                            delete.setString(1, copy.clientId());
                            delete.setLong(2, copy.messageId());
                            delete.addBatch();
                        }
                        delete.executeBatch();
                    }
                    return null;
                });
            }
        } catch (SQLException e) {
            throw new StoreException("Could not remove " + all.size() + " delivered messages", e);
        }
    }

    @Override
    public int countPending(String clientId, long nowMillis) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(COUNT_PENDING)) {
            select.setString(1, clientId);
            select.setLong(2, nowMillis);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("Could not count pending messages of " + clientId, e);
        }
    }

    /** One indexed DELETE; meant to run periodically, so each run has only the latest expiries to remove. */
    @Override
    public int purgeExpired(long nowMillis) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(PURGE_EXPIRED)) {
            delete.setLong(1, nowMillis);
            int purged = delete.executeUpdate();
            if (purged > 0) {
                log.debug("Purged {} expired offline messages", purged);
            }
            return purged;
        } catch (SQLException e) {
            throw new StoreException("Could not purge expired offline messages", e);
        }
    }
}
