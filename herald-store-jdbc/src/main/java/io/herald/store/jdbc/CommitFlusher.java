package io.herald.store.jdbc;

import io.herald.core.concurrent.Stages;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes committed transactions reach the database file before they are answered, with group commit.
 *
 * <p>A database server (MariaDB/InnoDB, PostgreSQL) has its commit durable already, by its write-ahead log and
 * default settings: nothing to do. An embedded H2 file database is different: its MVStore keeps commits in memory
 * and a background thread writes them to the file about every 500 ms, so a process killed in that window loses
 * transactions that had committed (and been answered). H2's {@code WRITE_DELAY=0} would write on every commit but
 * also stops the background thread that compacts the file; instead whoever needs a commit in the file asks
 * {@link #durable} after it, and a thread of this flusher runs {@code CHECKPOINT SYNC} (write the unsaved changes,
 * then fsync).
 *
 * <p>Group commit: one checkpoint at a time. Every request made while one runs waits for the next, which covers
 * all of them: under load a checkpoint serves every commit of the previous one's duration. Each checkpoint writes
 * a new chunk with every page changed since the last, so fewer, larger groups are much cheaper; callers that can
 * wait without holding a thread ({@link JdbcOfflineStore#storeDurably}) let the groups grow.
 */
final class CommitFlusher implements AutoCloseable {
    /** Writes the MVStore's unsaved changes into the file, then fsyncs it (H2's Database.sync). */
    private static final String CHECKPOINT_SYNC = "CHECKPOINT SYNC";
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final Logger log = LoggerFactory.getLogger(CommitFlusher.class);

    private final DataSource dataSource;
    private final Thread thread;
    /** Requests for the next checkpoint; guarded by {@code this}. */
    private ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private boolean closed;

    private CommitFlusher(DataSource dataSource, boolean enabled) {
        this.dataSource = dataSource;
        if (enabled) {
            thread = new Thread(this::run, "herald-h2-flush");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** For this database: flushing for an H2 file database, nothing for an in-memory one or a server. */
    static CommitFlusher forUrl(String jdbcUrl, DataSource dataSource) {
        return new CommitFlusher(dataSource, jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:"));
    }

    /**
     * Completes once everything committed (on any connection) before this call is in the database file and
     * synced; fails with a {@link StoreException} when the checkpoint fails. Completed already when there is
     * nothing to do. Completion runs on the flusher's thread: continue elsewhere for anything slow.
     */
    CompletableFuture<Void> durable() {
        if (thread == null) {
            return DONE;
        }
        CompletableFuture<Void> request = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                request.completeExceptionally(new StoreException("the database is closing"));
                return request;
            }
            waiting.add(request);
            notifyAll();
        }
        return request;
    }

    /**
     * {@link #durable()}, waited for: for callers that answer from the thread they stored on. Call it with no
     * connection borrowed: the flusher takes one from the same pool.
     *
     * @throws StoreException when the checkpoint failed
     */
    void awaitDurable() {
        Stages.await(durable());
    }

    private void run() {
        while (true) {
            ArrayDeque<CompletableFuture<Void>> group;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (waiting.isEmpty()) {
                    return; // closed, nobody waits
                }
                // Every request taken here was made after its commit: this checkpoint covers them all.
                group = waiting;
                waiting = new ArrayDeque<>();
            }
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(CHECKPOINT_SYNC);
                group.forEach(request -> request.complete(null));
            } catch (SQLException | RuntimeException e) {
                log.error("Could not write {} commit(s) to the database file", group.size(), e);
                StoreException failure = new StoreException("Could not write the commit to the database file", e);
                group.forEach(request -> request.completeExceptionally(failure));
            }
        }
    }

    /** Flushes what is waiting, then stops the thread; later requests fail. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        WriterThreads.join(thread);
    }
}
