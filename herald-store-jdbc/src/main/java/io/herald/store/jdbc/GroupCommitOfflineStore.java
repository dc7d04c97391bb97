package io.herald.store.jdbc;

import io.herald.core.concurrent.Stages;
import io.herald.core.message.PushMessage;
import io.herald.core.store.GroupedWritesOfflineStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline store with the writes of concurrent callers committed together: the QoS 1 stores of many pushes and
 * the ACK deletes of many devices (with their "acked" outcomes, {@link MessageOutcomeTable}) share one transaction, so one commit, and on a database server one flush of its
 * log (an fsync on MariaDB with {@code innodb_flush_log_at_trx_commit=1}, on PostgreSQL with
 * {@code synchronous_commit=on}), serves them all. That flush, one per stored push and one per ACK, was about half
 * of what a cluster push cost (docs/performance.md).
 *
 * <p>One writer thread takes what is queued (up to {@link Batching#CHUNK_SIZE} rows), writes it on one connection
 * in submission order (consecutive stores as one idempotent batch insert, consecutive deletes as one batch), commits,
 * then completes each caller's stage. While it commits, the next group gathers: under load a group grows with the
 * commit's duration, and a lone write waits for nothing but its own commit. A group the database refuses is
 * written again one write at a time through {@link JdbcOfflineStore}, so each caller gets its own outcome; when no
 * connection can be had at all, the whole group fails at once (its callers fail as they would alone). A store for
 * more than {@link Batching#CHUNK_SIZE} devices is large enough on its own and goes to {@link JdbcOfflineStore}
 * unchanged (a transaction per chunk).
 *
 * <p>Reads ({@link #pending}, {@link #countPending}) and {@link #remove} first wait for the writes queued before
 * them, so a caller reads what it wrote. Stages complete on the writer thread: continue elsewhere for anything slow.
 */
public final class GroupCommitOfflineStore implements ClosableOfflineStore, GroupedWritesOfflineStore {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitOfflineStore.class);
    private static final CompletableFuture<Void> NOTHING_QUEUED = CompletableFuture.completedFuture(null);

    private final JdbcOfflineStore plain;
    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;
    private final Thread writer;
    /** Writes for the next group; guarded by {@code this}. */
    private ArrayList<Write> queued = new ArrayList<>();
    /** Completes when the last write queued so far is committed (or failed); guarded by {@code this}. */
    private CompletableFuture<Void> lastQueued = NOTHING_QUEUED;
    private boolean closed;
    /** Groups written in one transaction so far (tests check that writes are grouped). */
    private final AtomicLong groupsCommitted = new AtomicLong();

    public GroupCommitOfflineStore(Database database) {
        this.plain = new JdbcOfflineStore(database);
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.flusher = database.flusher();
        this.writer = new Thread(this::run, "herald-offline-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** One queued write and the stage its caller waits on, completed once the write is committed. */
    private sealed interface Write permits Store, Remove, Record {
        CompletableFuture<Void> committed();

        int rows();
    }

    private record Store(List<String> clientIds, PushMessage message, CompletableFuture<Void> committed)
            implements Write {
        @Override
        public int rows() {
            return clientIds.size();
        }
    }

    /** An ACK: the copy is deleted and its outcome recorded. */
    private record Remove(MessageOutcomeTable.Outcome acked, CompletableFuture<Void> committed) implements Write {
        @Override
        public int rows() {
            return 1;
        }
    }

    /** Outcomes of copies kept elsewhere (the in-flight log): recorded only. */
    private record Record(List<MessageOutcomeTable.Outcome> outcomes, CompletableFuture<Void> committed)
            implements Write {
        @Override
        public int rows() {
            return outcomes.size();
        }
    }

    /** A stored row: the message for one device. */
    private record Row(String clientId, PushMessage message) {
    }

    /** Queues the rows; the stage completes once they are committed (and, on an H2 file, synced to it). */
    @Override
    public CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
        List<String> targets = List.copyOf(new LinkedHashSet<>(clientIds));
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (targets.size() > Batching.CHUNK_SIZE) {
            Stages.await(writesQueuedSoFar());
            return plain.storeDurably(targets, message);
        }
        return queue(new Store(targets, message, new CompletableFuture<>())).thenCompose(done -> flusher.durable());
    }

    @Override
    public CompletableFuture<Void> removeSoon(String clientId, long messageId) {
        return queue(new Remove(new MessageOutcomeTable.Outcome(clientId, messageId, MessageOutcomeTable.ACKED,
                System.currentTimeMillis()), new CompletableFuture<>()));
    }

    /**
     * Records outcomes of copies this table does not hold (the in-flight log's), a chunk per group (a segment's
     * worth does not hold up the other writes for one long transaction); the stage completes once they are
     * committed and, on an H2 file, synced to it.
     */
    CompletableFuture<Void> recordOutcomes(List<MessageOutcomeTable.Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (List<MessageOutcomeTable.Outcome> chunk : Batching.chunks(outcomes, Batching.CHUNK_SIZE)) {
            chunks.add(queue(new Record(List.copyOf(chunk), new CompletableFuture<>())));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).thenCompose(done -> flusher.durable());
    }

    /** Not grouped: the caller wants to know whether the message was there. */
    @Override
    public boolean remove(String clientId, long messageId) {
        Stages.await(writesQueuedSoFar());
        return plain.remove(clientId, messageId);
    }

    @Override
    public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
        Stages.await(writesQueuedSoFar());
        return plain.pending(clientId, nowMillis, limit);
    }

    @Override
    public int countPending(String clientId, long nowMillis) {
        Stages.await(writesQueuedSoFar());
        return plain.countPending(clientId, nowMillis);
    }

    @Override
    public List<String> holders(long messageId, int limit) {
        Stages.await(writesQueuedSoFar());
        return plain.holders(messageId, limit);
    }

    @Override
    public int purgeExpired(long nowMillis, ExpiredCopies expired) {
        return plain.purgeExpired(nowMillis, expired);
    }

    /** Nothing: every message of this store is a row of the table, which the device's delete removed. */
    @Override
    public void forgetDevice(String clientId) {
    }

    /** See {@link JdbcOfflineStore#highestMessageId}; after the writes queued so far. */
    long highestMessageId() {
        Stages.await(writesQueuedSoFar());
        return plain.highestMessageId();
    }

    private synchronized CompletableFuture<Void> queue(Write write) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException("the offline store is closing"));
        }
        queued.add(write);
        lastQueued = write.committed();
        notifyAll();
        return write.committed();
    }

    /** Completes (never exceptionally) once every write queued before this call is done: groups commit in order. */
    private synchronized CompletableFuture<Void> writesQueuedSoFar() {
        return lastQueued.exceptionally(failure -> null);
    }

    private void run() {
        while (true) {
            List<Write> group;
            synchronized (this) {
                while (queued.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (queued.isEmpty()) {
                    return; // closed, and everything queued is written
                }
                group = takeGroup();
            }
            write(group);
        }
    }

    /** The oldest queued writes, up to a chunk of rows (always at least one write). Holds the lock. */
    private List<Write> takeGroup() {
        int rows = 0;
        int taken = 0;
        while (taken < queued.size() && (taken == 0 || rows + queued.get(taken).rows() <= Batching.CHUNK_SIZE)) {
            rows += queued.get(taken).rows();
            taken++;
        }
        if (taken == queued.size()) {
            List<Write> group = queued;
            queued = new ArrayList<>();
            return group;
        }
        List<Write> group = new ArrayList<>(queued.subList(0, taken));
        queued.subList(0, taken).clear();
        return group;
    }

    private void write(List<Write> group) {
        Connection borrowed;
        try {
            borrowed = dataSource.getConnection();
        } catch (SQLException e) {
            // The database is out of reach: writing alone would wait for a connection once per write.
            StoreException failure = new StoreException("Could not reach the database for " + group.size()
                    + " offline store write(s)", e);
            group.forEach(write -> write.committed().completeExceptionally(failure));
            return;
        }
        try (Connection connection = borrowed) {
            connection.setAutoCommit(false); // restored by the pool when the connection goes back
            Transactions.inTransaction(connection, c -> {
                writeInOrder(c, group);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            log.warn("A group of {} offline store write(s) failed ({}); writing them one at a time", group.size(),
                    e.toString());
            group.forEach(this::writeAlone);
            return;
        }
        groupsCommitted.incrementAndGet();
        group.forEach(write -> write.committed().complete(null));
    }

    long groupsCommitted() {
        return groupsCommitted.get();
    }

    /**
     * Consecutive stores as one batch insert, consecutive removes as one batch delete (and one batch of outcomes),
     * consecutive outcome records as one batch, in submission order.
     */
    private void writeInOrder(Connection connection, List<Write> group) throws SQLException {
        int from = 0;
        while (from < group.size()) {
            Class<?> kind = group.get(from).getClass();
            int to = from;
            while (to < group.size() && group.get(to).getClass() == kind) {
                to++;
            }
            List<Write> run = group.subList(from, to);
            if (kind == Store.class) {
                insert(connection, run);
            } else if (kind == Remove.class) {
                JdbcOfflineStore.removeAcked(connection, dialect,
                        run.stream().map(write -> ((Remove) write).acked()).toList());
            } else {
                List<MessageOutcomeTable.Outcome> outcomes = new ArrayList<>();
                run.forEach(write -> outcomes.addAll(((Record) write).outcomes()));
                MessageOutcomeTable.insert(connection, dialect, outcomes);
            }
            from = to;
        }
    }

    private void insert(Connection connection, List<Write> stores) throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (Write write : stores) {
            Store store = (Store) write;
            store.clientIds().forEach(clientId -> rows.add(new Row(clientId, store.message())));
        }
        new IdempotentInsert<Row>(dialect, JdbcOfflineStore.TABLE, JdbcOfflineStore.INSERT,
                row -> new MessageKey(row.clientId(), row.message().messageId()),
                (statement, row) -> JdbcOfflineStore.bind(statement, row.clientId(), row.message()))
                .insert(connection, rows);
    }

    private void writeAlone(Write write) {
        try {
            if (write instanceof Store store) {
                plain.store(store.clientIds(), store.message());
            } else if (write instanceof Remove remove) {
                plain.removeSoon(remove.acked().clientId(), remove.acked().messageId());
            } else {
                Transactions.inTransaction(dataSource, c -> {
                    MessageOutcomeTable.insert(c, dialect, ((Record) write).outcomes());
                    return null;
                });
            }
            write.committed().complete(null);
        } catch (SQLException | RuntimeException e) {
            write.committed().completeExceptionally(e);
        }
    }

    /** Writes what is queued, then stops the writer; later writes fail. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        WriterThreads.join(writer);
    }
}
