package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of small offline-message writes: the rows of every {@link JdbcOfflineStore#storeDurably} call made
 * while a group is being written go together into the next group, on one thread: one JDBC batch and one commit per
 * {@link Batching#CHUNK_SIZE} rows, then one {@link CommitFlusher#durable} for the whole group.
 *
 * <p>Why: a push to one online device used to cost a connection borrow, a savepoint, a one-row batch and a commit
 * of its own; at thousands of pushes a second that was most of the server's CPU. Grouped, those costs are shared,
 * and the group waits for nobody: it is what arrived during the previous group's write, so one push alone is
 * written at once.
 *
 * <p>Same promise as before: a caller's stage completes only once its rows are committed and durable. When a group
 * fails, every caller in it fails (rows of chunks committed before the failure stay; storing again is idempotent,
 * {@link IdempotentInsert}).
 */
final class OfflineInsertGroups implements AutoCloseable {
    /** Rows taken into one group at most; the rest waits for the next (bounds one group's transaction time). */
    static final int MAX_GROUP_ROWS = 4 * Batching.CHUNK_SIZE;
    private static final Logger log = LoggerFactory.getLogger(OfflineInsertGroups.class);

    /** One device's copy of one message. */
    record Row(String clientId, PushMessage message) {
    }

    private record Request(List<Row> rows, CompletableFuture<Void> done) {
    }

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;
    private final Thread thread;
    /** Guarded by {@code this}. */
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean closed;

    OfflineInsertGroups(DataSource dataSource, SqlDialect dialect, CommitFlusher flusher) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.flusher = flusher;
        this.thread = new Thread(this::run, "herald-store-group");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues the rows for the next group; the stage completes once they are committed and durable, or fails with a
     * {@link StoreException}. Completion runs on the flusher's or this writer's thread: continue elsewhere for
     * anything slow.
     */
    CompletableFuture<Void> submit(List<Row> rows) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                done.completeExceptionally(new StoreException("the database is closing"));
                return done;
            }
            waiting.add(new Request(rows, done));
            notifyAll();
        }
        return done;
    }

    private void run() {
        while (true) {
            List<Request> group = new ArrayList<>();
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (waiting.isEmpty()) {
                    return; // closed, nothing left to write
                }
                int rows = 0;
                while (!waiting.isEmpty() && (group.isEmpty() || rows + waiting.peek().rows().size() <= MAX_GROUP_ROWS)) {
                    Request next = waiting.poll();
                    rows += next.rows().size();
                    group.add(next);
                }
            }
            write(group);
        }
    }

    private void write(List<Request> group) {
        List<Row> rows = new ArrayList<>();
        group.forEach(request -> rows.addAll(request.rows()));
        IdempotentInsert<Row> insert = new IdempotentInsert<>(dialect, JdbcOfflineStore.TABLE, JdbcOfflineStore.INSERT,
                row -> new MessageKey(row.clientId(), row.message().messageId()),
                (statement, row) -> JdbcOfflineStore.bind(statement, row.clientId(), row.message()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // restored by the pool when the connection goes back
            for (List<Row> chunk : Batching.chunks(rows, Batching.CHUNK_SIZE)) {
                Transactions.inTransaction(connection, c -> insert.insert(c, chunk));
            }
        } catch (SQLException | RuntimeException e) {
            log.error("Could not store {} offline message row(s) of {} push(es)", rows.size(), group.size(), e);
            StoreException failure = new StoreException("Could not store the message (" + group.size()
                    + " pushes were written together; storing again is safe)", e);
            group.forEach(request -> request.done().completeExceptionally(failure));
            return;
        }
        // Connection returned first: the flusher borrows one from the same pool.
        flusher.durable().whenComplete((ok, error) -> group.forEach(request -> {
            if (error == null) {
                request.done().complete(null);
            } else {
                request.done().completeExceptionally(error);
            }
        }));
    }

    /** Writes what is queued, then stops the thread; later submissions fail. Call before the flusher's close. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
