package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
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
    static final String REMOVE = "DELETE FROM " + TABLE + " WHERE client_id = ? AND message_id = ?";
    private static final String COUNT_PENDING =
            "SELECT COUNT(*) FROM " + TABLE + " WHERE client_id = ? AND expires_at > ?";
    private static final String COUNT_ALL = "SELECT COUNT(*) FROM " + TABLE;
    private static final String HIGHEST_MESSAGE_ID = "SELECT MAX(message_id) FROM " + TABLE;
    private static final String EXPIRED = "SELECT client_id, message_id FROM " + TABLE
            + " WHERE expires_at <= ? LIMIT " + Batching.CHUNK_SIZE;
    private static final String HOLDERS = "SELECT client_id FROM " + TABLE
            + " WHERE message_id = ? ORDER BY client_id LIMIT ?";

    private static final Logger log = LoggerFactory.getLogger(JdbcOfflineStore.class);

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;

    public JdbcOfflineStore(Database database) {
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
     * {@link #store}, returning once the rows are committed: the stage completes when they are in the file too
     * (on a database server, at once). Completion runs on the flusher's thread.
     */
    @Override
    public CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
        return commitRows(clientIds, message) ? flusher.durable() : CompletableFuture.completedFuture(null);
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

    /** Deletes the acked message and records the outcome, in one transaction. */
    @Override
    public CompletableFuture<Void> removeSoon(String clientId, long messageId) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // restored by the pool when the connection goes back
            Transactions.inTransaction(connection, c -> {
                removeAcked(c, dialect, List.of(new MessageOutcomeTable.Outcome(clientId, messageId,
                        MessageOutcomeTable.ACKED, System.currentTimeMillis())));
                return null;
            });
            return CompletableFuture.completedFuture(null);
        } catch (SQLException e) {
            throw new StoreException("Could not remove acked message " + messageId + " of " + clientId, e);
        }
    }

    /** Deletes the acked copies and records their outcomes, in the caller's transaction. */
    static void removeAcked(Connection connection, SqlDialect dialect, List<MessageOutcomeTable.Outcome> acked)
            throws SQLException {
        deleteRows(connection, acked.stream().map(outcome -> new MessageKey(outcome.clientId(),
                outcome.messageId())).toList());
        MessageOutcomeTable.insert(connection, dialect, acked);
    }

    private static void deleteRows(Connection connection, List<MessageKey> keys) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(REMOVE)) {
            for (MessageKey key : keys) {
                delete.setString(1, key.clientId());
                delete.setLong(2, key.messageId());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    @Override
    public List<String> holders(long messageId, int limit) {
        List<String> holders = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(HOLDERS)) {
            select.setLong(1, messageId);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    holders.add(rows.getString(1));
                }
            }
            return holders;
        } catch (SQLException e) {
            throw new StoreException("Could not read the devices holding message " + messageId, e);
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

    /** Every row of the table, expired ones not purged yet included. Scans an index: for a periodic gauge. */
    long countAll() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(COUNT_ALL);
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("Could not count the offline messages", e);
        }
    }

    /** The highest message id stored for any device, 0 when there is none: the end of the message id index. */
    long highestMessageId() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(HIGHEST_MESSAGE_ID);
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("Could not read the highest stored message id", e);
        }
    }

    /**
     * Reads expired copies along the expiry index a chunk at a time, records them as expired and deletes them, one
     * transaction per chunk, then tells {@code expired} about the chunk: memory stays bounded when a broadcast to a
     * large offline fleet expires at once. Meant to run periodically, so each run has only the latest expiries.
     */
    @Override
    public int purgeExpired(long nowMillis, ExpiredCopies expired) {
        int purged = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // restored by the pool when the connection goes back
            while (true) {
                List<MessageKey> chunk = Transactions.inTransaction(connection, c -> {
                    List<MessageKey> keys = expiredChunk(c, nowMillis);
                    deleteRows(c, keys);
                    MessageOutcomeTable.insert(c, dialect, keys.stream().map(key -> new MessageOutcomeTable.Outcome(
                            key.clientId(), key.messageId(), MessageOutcomeTable.EXPIRED, nowMillis)).toList());
                    return keys;
                });
                chunk.forEach(key -> expired.expired(key.clientId(), key.messageId()));
                purged += chunk.size();
                if (chunk.size() < Batching.CHUNK_SIZE) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Could not purge expired offline messages (" + purged + " purged before)", e);
        }
        if (purged > 0) {
            log.debug("Purged {} expired offline messages", purged);
        }
        return purged;
    }

    private static List<MessageKey> expiredChunk(Connection connection, long nowMillis) throws SQLException {
        List<MessageKey> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(EXPIRED)) {
            select.setLong(1, nowMillis);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(new MessageKey(rows.getString(1), rows.getLong(2)));
                }
            }
        }
        return keys;
    }
}
