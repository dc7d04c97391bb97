package io.herald.store.jdbc;

import io.herald.core.message.UpstreamMessage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 inserts of upstream batches that the {@link UpstreamJournal} already made durable, done by one thread
 * behind the ACKs, in large groups.
 *
 * <p>Why: once a batch is in the synced journal it survives a kill (the journal is replayed at start), so its
 * device can be acked at once; the insert into H2 (four B-trees, about two thirds of the server's CPU per
 * upstream message) then no longer sits between a message and its ACK, and whatever accumulated while one group
 * was inserted goes into the next in one transaction.
 *
 * <p>What keeps the journal's promise: a journal segment is retired ({@link UpstreamJournal#retireSegments})
 * only once every row appended to it is committed here and a checkpoint started after that commit completed;
 * entries are inserted in the order they were appended ({@link #add} is called under the journal's lock). After a
 * failed insert nothing is retired any more: the rows stay in the journal and are inserted at the next start.
 *
 * <p>Bounded: at most {@link #MAX_WAITING_ROWS} rows wait (plus one batch per caller); {@link #awaitRoom} blocks
 * the archive writer beyond that, so the ACKs slow down and the devices with them.
 */
final class DeferredArchiveInserts implements AutoCloseable {
    /** Rows that may wait for their insert: about four seconds of the target rate, a few MB. */
    static final int MAX_WAITING_ROWS = 20_000;
    /** Rows per transaction at the most. */
    private static final int MAX_GROUP_ROWS = 2_000;
    /**
     * How long the first queued rows wait for more before their insert starts (unless enough for a full group
     * are there, or a reader waits): part of an insert's cost is per transaction (the statement, the commit, the
     * connection), and no ACK waits for it. At 5,000 messages/s that makes groups of about 500 instead of a few
     * dozen.
     */
    private static final long LINGER_NANOS = 100_000_000;
    private static final Logger log = LoggerFactory.getLogger(DeferredArchiveInserts.class);

    /** Rows to insert, and the journal segment they closed (null when they did not). */
    private record Entry(List<UpstreamMessage> rows, Path fullSegment) {
    }

    private final UpstreamJournal.Inserter inserter;
    private final UpstreamJournal journal;
    private final CommitFlusher flusher;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final Thread thread;
    /** Rows added and rows done (inserted or failed) since the start; guarded by this. */
    private long added;
    private long done;
    private int waitingRows;
    /** Threads in {@link #awaitInserted}: the inserter then does not linger. */
    private int readers;
    private boolean closed;
    /** Set by a failed insert: from then on no segment is retired, all is replayed at the next start. */
    private volatile boolean failed;

    DeferredArchiveInserts(UpstreamJournal.Inserter inserter, UpstreamJournal journal, CommitFlusher flusher) {
        this.inserter = inserter;
        this.journal = journal;
        this.flusher = flusher;
        this.thread = new Thread(this::run, "herald-archive-inserts");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Blocks while {@link #MAX_WAITING_ROWS} rows or more wait for their insert. */
    synchronized void awaitRoom() {
        boolean interrupted = false;
        while (waitingRows >= MAX_WAITING_ROWS && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues rows the journal holds (synced) for their insert, with the segment their append closed, if any.
     * Never blocks. After {@link #close} the rows are left to the journal's replay at the next start.
     */
    synchronized void add(List<UpstreamMessage> rows, Path fullSegment) {
        if (closed) {
            log.debug("{} upstream row(s) after close: inserted from the journal at the next start", rows.size());
            return;
        }
        boolean wasEmpty = queue.isEmpty();
        queue.add(new Entry(rows, fullSegment));
        added += rows.size();
        waitingRows += rows.size();
        if (wasEmpty || waitingRows >= MAX_GROUP_ROWS) {
            notifyAll(); // else the inserter lingers on: waking it for every batch costs a context switch each
        }
    }

    /**
     * Returns once every row added before the call is inserted (or its insert failed): a read after an ACK sees
     * the message. The checkpoints that retire their segments are asked for by then. Returns at once after
     * {@link #close}.
     */
    synchronized void awaitInserted() {
        long target = added;
        boolean interrupted = false;
        readers++;
        notifyAll();
        while (done < target && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        readers--;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<UpstreamMessage> group = new ArrayList<>();
        List<Path> fullSegments = new ArrayList<>();
        while (takeGroup(group, fullSegments)) {
            try {
                if (!group.isEmpty()) {
                    inserter.insert(group);
                }
            } catch (RuntimeException e) {
                failed = true;
                log.error("Could not insert {} journalled upstream message(s) into the archive; they stay in the"
                        + " journal and are inserted at the next start", group.size(), e);
            }
            retire(List.copyOf(fullSegments)); // asked before the rows count as done: see awaitInserted
            synchronized (this) {
                done += group.size();
                waitingRows -= group.size();
                notifyAll();
            }
            group.clear();
            fullSegments.clear();
        }
    }

    /** Waits for entries and moves whole ones into the group, up to its size; false once closed and drained. */
    private synchronized boolean takeGroup(List<UpstreamMessage> group, List<Path> fullSegments) {
        while (queue.isEmpty()) {
            if (closed) {
                return false;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                return false;
            }
        }
        long lingerEnd = System.nanoTime() + LINGER_NANOS;
        long left;
        while (waitingRows < MAX_GROUP_ROWS && readers == 0 && !closed
                && (left = lingerEnd - System.nanoTime()) > 0) {
            try {
                wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                return false;
            }
        }
        while (!queue.isEmpty() && (group.isEmpty() || group.size() + queue.peek().rows().size() <= MAX_GROUP_ROWS)) {
            Entry entry = queue.poll();
            group.addAll(entry.rows());
            if (entry.fullSegment() != null) {
                fullSegments.add(entry.fullSegment());
            }
        }
        return true;
    }

    /** Every row of these segments is committed now; once a checkpoint has them in the file they can go. */
    private void retire(List<Path> segments) {
        if (!segments.isEmpty() && !failed) {
            flusher.durable().thenRun(() -> journal.retireSegments(segments));
        }
    }

    /** Inserts what is queued (for at most ten seconds), then stops; anything left is replayed at the next start. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        WriterThreads.join(thread);
    }
}
