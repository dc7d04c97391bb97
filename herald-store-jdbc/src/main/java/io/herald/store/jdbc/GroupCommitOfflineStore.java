package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline store with the writes of concurrent callers committed together: the QoS 1 stores of many pushes and
 * the ACK deletes of many devices share one transaction, so one commit, and on a database server one flush of its
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
public final class GroupCommitOfflineStore implements OfflineStore, AutoCloseable {
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
    private sealed interface Write permits Store, Remove {
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

    private record Remove(String clientId, long messageId, CompletableFuture<Void> committed) implements Write {
        @Override
        public int rows() {
            return 1;
        }
    }

    /** A stored row: the message for one device. */
    private record Row(String clientId, PushMessage message) {
    }

    @Override
    public void store(Collection<String> clientIds, PushMessage message) {
        await(storeDurably(clientIds, message));
    }

    /** Queues the rows; the stage completes once they are committed (and, on an H2 file, synced to it). */
    @Override
    public CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
        List<String> targets = List.copyOf(new LinkedHashSet<>(clientIds));
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (targets.size() > Batching.CHUNK_SIZE) {
            await(writesQueuedSoFar());
            return plain.storeDurably(targets, message);
        }
        return queue(new Store(targets, message, new CompletableFuture<>())).thenCompose(done -> flusher.durable());
    }

    @Override
    public CompletableFuture<Void> removeSoon(String clientId, long messageId) {
        return queue(new Remove(clientId, messageId, new CompletableFuture<>()));
    }

    /** Not grouped: the caller wants to know whether the message was there. */
    @Override
    public boolean remove(String clientId, long messageId) {
        await(writesQueuedSoFar());
        return plain.remove(clientId, messageId);
    }

    @Override
    public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
        await(writesQueuedSoFar());
        return plain.pending(clientId, nowMillis, limit);
    }

    @Override
    public int countPending(String clientId, long nowMillis) {
        await(writesQueuedSoFar());
        return plain.countPending(clientId, nowMillis);
    }

    @Override
    public int purgeExpired(long nowMillis) {
        return plain.purgeExpired(nowMillis);
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

    /** Consecutive stores as one batch insert, consecutive removes as one batch delete, in submission order. */
    private void writeInOrder(Connection connection, List<Write> group) throws SQLException {
        int from = 0;
        while (from < group.size()) {
            boolean stores = group.get(from) instanceof Store;
            int to = from;
            while (to < group.size() && (group.get(to) instanceof Store) == stores) {
                to++;
            }
            List<Write> run = group.subList(from, to);
            if (stores) {
                insert(connection, run);
            } else {
                delete(connection, run);
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

    private static void delete(Connection connection, List<Write> removes) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(JdbcOfflineStore.REMOVE)) {
            for (Write write : removes) {
                Remove remove = (Remove) write;
                delete.setString(1, remove.clientId());
                delete.setLong(2, remove.messageId());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    private void writeAlone(Write write) {
        try {
            if (write instanceof Store store) {
                plain.store(store.clientIds(), store.message());
            } else {
                Remove remove = (Remove) write;
                plain.remove(remove.clientId(), remove.messageId());
            }
            write.committed().complete(null);
        } catch (RuntimeException e) {
            write.committed().completeExceptionally(e);
        }
    }

    private static void await(CompletableFuture<Void> stage) {
        try {
            stage.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Writes what is queued, then stops the writer; later writes fail. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
