package io.herald.store.jdbc;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamArchive;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/** The upstream messages devices sent, in table {@code upstream_message}. */
public final class JdbcUpstreamArchive implements UpstreamArchive {
    static final String TABLE = "upstream_message";
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (client_id, message_id, content_type, trace_id, payload, sent_at, received_at, generation)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LATEST = "SELECT client_id, message_id, content_type, payload, trace_id, sent_at,"
            + " received_at, generation FROM " + TABLE + " WHERE client_id = ? AND generation = ?"
            + " ORDER BY received_at DESC, message_id DESC LIMIT ?";

    /** Along upstream_message_received_idx; the keys then delete one by one, by primary key, in one batch. */
    private static final String OLDEST = "SELECT client_id, message_id FROM " + TABLE
            + " WHERE received_at < ? ORDER BY received_at LIMIT ?";
    private static final String DELETE_ONE = "DELETE FROM " + TABLE + " WHERE client_id = ? AND message_id = ?";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;
    /** Null unless the database is an embedded H2 file: see {@link Database#upstreamJournal}. */
    private final UpstreamJournal journal;
    /** The H2 inserts behind the journal; null without one. */
    private final DeferredArchiveInserts deferredInserts;
    private final Clock clock;

    public JdbcUpstreamArchive(Database database) {
        this(database, Clock.systemUTC());
    }

    JdbcUpstreamArchive(Database database, Clock clock) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.flusher = database.flusher();
        this.journal = database.upstreamJournal();
        this.deferredInserts = journal == null ? null : database.deferredArchiveInserts();
        this.clock = clock;
    }

    /**
     * Stores the batch in one transaction, as JDBC batches of {@link Batching#CHUNK_SIZE}. A message repeated
     * within the batch counts once (the first copy is kept), as does one already stored. Returns once the batch is
     * committed and durable: on a database server by its commit; on an embedded H2 file by the
     * {@link UpstreamJournal} (its rows appended and synced), or, where there is none, by a checkpoint of the
     * database file ({@link CommitFlusher}).
     */
    @Override
    public int append(List<UpstreamMessage> messages) {
        List<UpstreamMessage> rows = distinct(messages);
        if (journal == null) {
            int inserted = insertRows(rows);
            flusher.awaitDurable();
            return inserted;
        }
        deferredInserts.awaitRoom();
        int inserted = insertRows(rows);
        journal(rows, List.of());
        return inserted;
    }

    /**
     * What a device's ACK OK waits for. On an embedded H2 file with a journal: the batch's rows are appended to the
     * journal and synced, and the stage is complete when this returns; the insert into H2 follows behind
     * ({@link DeferredArchiveInserts}), so the count is the batch's distinct messages, not the new ones. Without a
     * journal the batch is committed when this returns, and the stage completes when the checkpoint has it in the
     * file too (completion then runs on the flusher's thread); on a database server by its commit.
     */
    @Override
    public CompletableFuture<Integer> appendDurably(List<UpstreamMessage> messages) {
        if (journal != null) {
            List<UpstreamMessage> rows = distinct(messages);
            deferredInserts.awaitRoom();
            journal(rows, rows);
            return CompletableFuture.completedFuture(rows.size());
        }
        int inserted = insert(messages);
        return flusher.durable().thenApply(durable -> inserted);
    }

    /**
     * Appends the rows to the journal (synced when this returns) and queues {@code toInsert} for H2, under the
     * journal's lock so that the inserts go in the journal's order: a segment is retired only after every row in
     * it is committed ({@link DeferredArchiveInserts}). Every row goes into the journal, the ones that were stored
     * already too: their first copy may still be on its way (or its append failed and the device resent it), and
     * this ACK must not leave before the row is durable.
     */
    private void journal(List<UpstreamMessage> rows, List<UpstreamMessage> toInsert) {
        if (rows.isEmpty()) {
            return;
        }
        synchronized (journal) {
            Path full = journal.append(rows, clock.millis());
            deferredInserts.add(toInsert, full);
        }
    }

    private static List<UpstreamMessage> distinct(List<UpstreamMessage> messages) {
        Map<MessageKey, UpstreamMessage> distinct = new LinkedHashMap<>();
        for (UpstreamMessage message : messages) {
            distinct.putIfAbsent(new MessageKey(message.clientId(), message.messageId()), message);
        }
        return new ArrayList<>(distinct.values());
    }

    /**
     * Commits the messages whose keys are not stored yet, in one transaction, and returns how many that was; the
     * commit alone is not durable on H2. For {@link UpstreamJournal#replay} too.
     */
    int insert(List<UpstreamMessage> messages) {
        return insert(dataSource, dialect, messages);
    }

    /** {@link #insert(List)} for a database without an archive object: the {@link DeferredArchiveInserts}. */
    static int insert(DataSource dataSource, SqlDialect dialect, List<UpstreamMessage> messages) {
        return insertRows(dataSource, dialect, distinct(messages));
    }

    private int insertRows(List<UpstreamMessage> rows) {
        return insertRows(dataSource, dialect, rows);
    }

    private static int insertRows(DataSource dataSource, SqlDialect dialect, List<UpstreamMessage> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        IdempotentInsert<UpstreamMessage> insert = new IdempotentInsert<>(dialect, TABLE, INSERT,
                message -> new MessageKey(message.clientId(), message.messageId()), JdbcUpstreamArchive::bind);
        try {
            return Transactions.inTransaction(dataSource, connection -> {
                int inserted = 0;
                for (List<UpstreamMessage> chunk : Batching.chunks(rows, Batching.CHUNK_SIZE)) {
                    inserted += insert.insert(connection, chunk);
                }
                return inserted;
            });
        } catch (SQLException e) {
            throw new StoreException("Could not archive " + rows.size() + " upstream messages", e);
        }
    }

    private static void bind(PreparedStatement insert, UpstreamMessage message) throws SQLException {
        insert.setString(1, message.clientId());
        insert.setLong(2, message.messageId());
        insert.setInt(3, message.contentType().code());
        if (message.traceId() == null) {
            insert.setNull(4, Types.VARCHAR);
        } else {
            insert.setString(4, message.traceId());
        }
        insert.setBytes(5, message.payload());
        insert.setLong(6, message.sentAt());
        insert.setLong(7, message.receivedAt());
        insert.setLong(8, message.generation());
    }

    /**
     * Deletes up to {@code limit} of the messages received before {@code cutoffMillis}, oldest first, in one short
     * transaction, and returns how many it found (and deleted): fewer than {@code limit} means none is left. For a
     * retention cleanup that calls it again and again: each call locks only old rows, which no writer touches, for
     * the time of one small batch. (A single DELETE of everything old could run for minutes on a large archive and,
     * on MariaDB, lock index ranges that new inserts need.)
     */
    public int deleteReceivedBefore(long cutoffMillis, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        try {
            return Transactions.inTransaction(dataSource, connection -> {
                List<MessageKey> keys = new ArrayList<>(Math.min(limit, 1024));
                try (PreparedStatement select = connection.prepareStatement(OLDEST)) {
                    select.setLong(1, cutoffMillis);
                    select.setInt(2, limit);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            keys.add(new MessageKey(rows.getString(1), rows.getLong(2)));
                        }
                    }
                }
                if (keys.isEmpty()) {
                    return 0;
                }
                try (PreparedStatement delete = connection.prepareStatement(DELETE_ONE)) {
                    for (MessageKey key : keys) {
                        delete.setString(1, key.clientId());
                        delete.setLong(2, key.messageId());
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                return keys.size();
            });
        } catch (SQLException e) {
            throw new StoreException("Could not delete upstream messages received before " + cutoffMillis, e);
        }
    }

    /**
     * Newest by receipt time first; messages received in the same millisecond by descending message id. Rows of
     * other generations (an earlier registration of the id) are skipped while reading the index backwards.
     */
    @Override
    public List<UpstreamMessage> latest(String clientId, long generation, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        List<UpstreamMessage> messages = new ArrayList<>(Math.min(limit, 64));
        if (limit == 0) {
            return messages;
        }
        if (deferredInserts != null) {
            deferredInserts.awaitInserted(); // an acked message is read back, though its insert was deferred
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(LATEST)) {
            select.setString(1, clientId);
            select.setLong(2, generation);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    messages.add(new UpstreamMessage(rows.getString(1), rows.getLong(8), rows.getLong(2),
                            Codes.contentType(rows.getInt(3)), rows.getBytes(4), rows.getString(5),
                            rows.getLong(6), rows.getLong(7)));
                }
            }
            return messages;
        } catch (SQLException e) {
            throw new StoreException("Could not read the latest upstream messages of " + clientId, e);
        }
    }
}
