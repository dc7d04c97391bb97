package io.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a committed transaction reach the database file before a store call returns, with group commit.
 *
 * <p>A database server (MariaDB/InnoDB, PostgreSQL) has its commit durable already, by its write-ahead log and
 * default settings: nothing to do. An embedded H2 file database is different: its MVStore keeps commits in memory
 * and a background thread writes them to the file about every 500 ms, so a process killed in that window loses
 * transactions that had committed (and been answered). H2's {@code WRITE_DELAY=0} would write on every commit
 * but also stops the background thread that compacts the file; instead every caller that needs its commit in
 * the file calls {@link #afterCommit}, which runs {@code CHECKPOINT SYNC} (write the unsaved changes, then fsync).
 *
 * <p>Group commit: callers take a ticket after their commit. One of them flushes at a time; a flush that started
 * after a caller's commit covers it, so a caller that finds such a flush done returns without one of its own.
 * Under load one checkpoint serves every request that committed while the previous one ran.
 */
final class CommitFlusher {
    /** Writes the MVStore's unsaved changes into the file, then fsyncs it (H2's Database.sync). */
    private static final String CHECKPOINT_SYNC = "CHECKPOINT SYNC";

    private final boolean enabled;
    /** Tickets given to commits that want to be in the file. */
    private final AtomicLong committed = new AtomicLong();
    private final Object flushLock = new Object();
    /** Every ticket up to this one is in the file; guarded by {@link #flushLock}. */
    private long flushed;

    private CommitFlusher(boolean enabled) {
        this.enabled = enabled;
    }

    /** For this database: flushing for an H2 file database, nothing for an in-memory one or a server. */
    static CommitFlusher forUrl(String jdbcUrl) {
        return new CommitFlusher(jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:"));
    }

    /**
     * Returns once what {@code connection} (or any other connection) committed before this call is in the
     * database file and synced. Call it after the commit, on a connection of the same database.
     */
    void afterCommit(Connection connection) throws SQLException {
        if (!enabled) {
            return;
        }
        long ticket = committed.incrementAndGet();
        synchronized (flushLock) {
            if (flushed >= ticket) {
                return; // a flush that began after our commit has finished
            }
            // Every ticket given out so far belongs to a commit that is complete: this flush covers them all.
            long covers = committed.get();
            try (Statement statement = connection.createStatement()) {
                statement.execute(CHECKPOINT_SYNC);
            }
            flushed = covers;
        }
    }
}
