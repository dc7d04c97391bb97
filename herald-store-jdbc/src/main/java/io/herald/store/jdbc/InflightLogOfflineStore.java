package io.herald.store.jdbc;

import io.herald.core.concurrent.Stages;
import io.herald.core.message.PushMessage;
import io.herald.core.store.GroupedWritesOfflineStore;
import io.herald.core.store.MessageStatuses.DeliveryStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone node's offline store: QoS 1 copies of pushes are appended to a log file instead of the offline
 * table, because almost all of them live for milliseconds (stored, handed to the online device, deleted on its
 * ACK) and each cost H2 three B-tree inserts, three deletes and a commit. Here a store is one append, an ACK a
 * small tombstone, and a group of them shares one fsync.
 *
 * <p>What the log holds is also kept in memory ({@link InflightIndex}), and reads merge it with the offline table
 * ({@link GroupCommitOfflineStore}), which keeps everything else: pushes to more than {@link Batching#CHUNK_SIZE}
 * devices (long-lived broadcasts to offline fleets), messages stored again whose id is not above every id already
 * in the table (a session's hand-off of messages it had replayed from there), and whatever is still unacked when
 * a segment fills up ({@link #SEGMENT_BYTES} or {@link #MAX_COPIES}), at shutdown, and after a crash (the next
 * start replays the log into the table first): {@link InflightHandOff}. So a message is in one of the two places,
 * never both, and the memory and disk the log takes are bounded by a segment.
 *
 * <p>An ACK's tombstone carries the ack time: its "acked" outcome is answered from memory ({@link AckedOutcomes},
 * through {@link UnsavedOutcomes}) and joins the outcome table in bulk with the rest of its segment's, instead of
 * a row per ACK on the push path.
 *
 * <p>Durability is the table's: a store's stage completes once its record is fsynced, a remove's once its
 * tombstone is (the argument is in docs/reliability.md, "What a crash keeps"); an outcome is as durable as its
 * tombstone.
 *
 * <p>One writer thread appends what callers queued since its last write ({@link InflightLogQueue}) to the current
 * segment ({@link InflightLogFiles}), syncs, and completes their stages; while it syncs, the next group gathers.
 * Callers update the index and queue the record under one lock, so the log's order is the index's. Rolling a
 * segment holds that lock while the live messages move to the table (a few ms: they are what is in flight at that
 * instant), so no write can slip between the move and the new segment.
 *
 * <p>Stages complete on the log's writer thread, or for what goes to the table on the table's threads (its
 * writer, the H2 flusher): continue elsewhere for anything slow, and never call this store synchronously from
 * there, since a roll holds the lock while it waits for those threads.
 */
public final class InflightLogOfflineStore implements ClosableOfflineStore, GroupedWritesOfflineStore,
        UnsavedOutcomes {
    /** A segment rolls once it is this large: bounds the index, the file and a replay. */
    static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    /**
     * ... or once the log holds this many copies and ACK outcomes (about 100 bytes of heap each): a push to many
     * devices is one record of a few bytes per device, so the segment's size alone would let a million copies
     * gather in memory.
     */
    static final int MAX_COPIES = 100_000;
    private static final Logger log = LoggerFactory.getLogger(InflightLogOfflineStore.class);

    private final GroupCommitOfflineStore table;
    private final InflightLogFiles files;
    private final long segmentBytes;
    private final int maxCopies;
    private final InflightIndex index = new InflightIndex();
    private final AckedOutcomes acked = new AckedOutcomes();
    private final InflightHandOff handOff;
    private final Thread writer;

    // Guarded by this:
    private final InflightLogQueue queue = new InflightLogQueue();
    private StoreException failure;
    private boolean closed;

    private InflightLogOfflineStore(GroupCommitOfflineStore table, InflightLogFiles files, long segmentBytes,
                                    int maxCopies) {
        this.table = table;
        this.files = files;
        this.segmentBytes = segmentBytes;
        this.maxCopies = maxCopies;
        this.handOff = new InflightHandOff(table, files, index, acked);
        this.writer = new Thread(this::run, "herald-inflight-log");
        writer.setDaemon(true);
    }

    /**
     * The offline store for a node on this database: the in-flight log beside an embedded H2 file, else the
     * offline table alone (a database server, or an H2 database this process cannot place files beside).
     */
    public static ClosableOfflineStore forNode(Database database) {
        return database.h2Files() == null ? new GroupCommitOfflineStore(database) : open(database);
    }

    /**
     * Replays the log an earlier run left into the offline table, deletes it, and starts a fresh one beside the
     * database file. Call before anything else writes offline messages.
     *
     * @throws IllegalArgumentException when the database is no H2 file with a known directory
     * @throws StoreException when the log cannot be read, replayed or created
     */
    public static InflightLogOfflineStore open(Database database) {
        return open(database, SEGMENT_BYTES, MAX_COPIES);
    }

    static InflightLogOfflineStore open(Database database, long segmentBytes, int maxCopies) {
        PrivateH2Files h2Files = database.h2Files();
        if (h2Files == null) {
            throw new IllegalArgumentException("the in-flight log needs an embedded H2 file database");
        }
        InflightLogFiles files = new InflightLogFiles(h2Files);
        GroupCommitOfflineStore table = new GroupCommitOfflineStore(database);
        try {
            InflightLogOfflineStore store = new InflightLogOfflineStore(table, files, segmentBytes, maxCopies);
            store.start();
            return store;
        } catch (RuntimeException e) {
            table.close();
            throw e;
        }
    }

    private synchronized void start() {
        handOff.replayLeftBehind();
        writer.start();
    }

    /**
     * Appends the message for the devices that do not hold it yet; the stage completes once the record is synced.
     * A push to more devices than a chunk, or a message not newer than the table's, goes to the table instead.
     */
    @Override
    public CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
        List<String> targets = List.copyOf(new LinkedHashSet<>(clientIds));
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> toTable = new ArrayList<>();
        synchronized (this) {
            checkWritable();
            if (targets.size() <= Batching.CHUNK_SIZE && message.messageId() > handOff.tableWatermark()) {
                List<String> fresh = new ArrayList<>(targets.size());
                for (String clientId : targets) {
                    if (index.add(clientId, message)) {
                        fresh.add(clientId);
                    }
                }
                if (!fresh.isEmpty()) {
                    queue.records().store(fresh, message);
                    return queuedNow();
                }
                return queue.lastDurable(); // each device has it already: durable with the record that stored it
            }
            handOff.raiseWatermark(message.messageId());
            for (String clientId : targets) {
                if (!index.contains(clientId, message.messageId())) {
                    toTable.add(clientId);
                }
            }
        }
        return toTable.isEmpty() ? lastDurableSnapshot() : table.storeDurably(toTable, message);
    }

    private synchronized CompletableFuture<Void> lastDurableSnapshot() {
        return queue.lastDurable();
    }

    @Override
    public boolean remove(String clientId, long messageId) {
        CompletableFuture<Void> tombstone = removeFromLog(clientId, messageId, false);
        if (tombstone == null) {
            return table.remove(clientId, messageId);
        }
        Stages.await(tombstone);
        return true;
    }

    /**
     * The ACK of a copy the log holds is a tombstone with the ack time; its outcome is answered from memory until
     * it moves to the table with the segment's others. A copy the table holds is deleted there with its outcome.
     */
    @Override
    public CompletableFuture<Void> removeSoon(String clientId, long messageId) {
        CompletableFuture<Void> tombstone = removeFromLog(clientId, messageId, true);
        return tombstone == null ? table.removeSoon(clientId, messageId) : tombstone;
    }

    /**
     * Queues a tombstone (with the outcome "acked" when {@code ack}) when the log holds the message, and returns its
     * stage; else null: the table may hold it.
     */
    private synchronized CompletableFuture<Void> removeFromLog(String clientId, long messageId, boolean ack) {
        if (!index.contains(clientId, messageId)) {
            return null;
        }
        checkWritable();
        index.remove(clientId, messageId);
        if (ack) {
            long ackedAt = System.currentTimeMillis();
            queue.records().ack(clientId, messageId, ackedAt);
            acked.add(clientId, messageId, ackedAt); // with the index change: a status read sees one or the other
        } else {
            queue.records().remove(clientId, messageId);
        }
        return queuedNow();
    }

    /** The ACK outcomes of logged copies that are not in the outcome table yet. */
    @Override
    public List<DeliveryStatus> outcomesNotInTable(long messageId, int limit) {
        return acked.of(messageId, limit);
    }

    /**
     * Drops every message of the deleted device the log holds, returning once that is synced.
     *
     * @throws StoreException when the log cannot be written
     */
    @Override
    public void forgetDevice(String clientId) {
        CompletableFuture<Void> forgotten;
        synchronized (this) {
            if (!index.holds(clientId)) {
                return;
            }
            checkWritable();
            index.removeDevice(clientId);
            queue.records().forget(clientId);
            forgotten = queuedNow();
        }
        Stages.await(forgotten);
    }

    /** The log's and the table's messages of the device, merged by message id. */
    @Override
    public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        List<PushMessage> logged;
        synchronized (this) {
            logged = index.pending(clientId, nowMillis, limit);
        }
        // Read after the log: a message moved to the table in between is then seen twice (and kept once), never
        // missed.
        List<PushMessage> stored = table.pending(clientId, nowMillis, limit);
        if (logged.isEmpty()) {
            return stored;
        }
        TreeMap<Long, PushMessage> merged = new TreeMap<>();
        stored.forEach(message -> merged.put(message.messageId(), message));
        logged.forEach(message -> merged.putIfAbsent(message.messageId(), message));
        List<PushMessage> oldestFirst = new ArrayList<>(merged.values());
        return oldestFirst.subList(0, Math.min(limit, oldestFirst.size()));
    }

    /**
     * The log's count, then the table's: a message that moves in between (a roll, some milliseconds every 16 MiB)
     * is counted twice; the lock is not held across the table's count, which waits for the table's writer.
     */
    @Override
    public int countPending(String clientId, long nowMillis) {
        int logged;
        synchronized (this) {
            logged = index.countPending(clientId, nowMillis);
        }
        return logged + table.countPending(clientId, nowMillis);
    }

    /**
     * Expired messages leave the index without a tombstone (a replay skips them as expired too); their outcomes are
     * recorded in the table before {@code expired} hears of them.
     */
    @Override
    public int purgeExpired(long nowMillis, ExpiredCopies expired) {
        List<MessageKey> purged;
        synchronized (this) {
            purged = index.purgeExpired(nowMillis);
        }
        Stages.await(table.recordOutcomes(purged.stream().map(key -> new MessageOutcomeTable.Outcome(key.clientId(),
                key.messageId(), MessageOutcomeTable.EXPIRED, nowMillis)).toList()));
        purged.forEach(key -> expired.expired(key.clientId(), key.messageId()));
        return purged.size() + table.purgeExpired(nowMillis, expired);
    }

    /** The log's holders and the table's, merged in client id order. */
    @Override
    public List<String> holders(long messageId, int limit) {
        List<String> logged;
        synchronized (this) {
            logged = index.holders(messageId, limit);
        }
        TreeSet<String> merged = new TreeSet<>(logged);
        merged.addAll(table.holders(messageId, limit));
        return merged.stream().limit(limit).toList();
    }

    /** The stage of the records queued now; wakes the writer. Holds the lock. */
    private CompletableFuture<Void> queuedNow() {
        notifyAll();
        return queue.added();
    }

    private void checkWritable() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new StoreException("the offline store is closing");
        }
    }

    private void run() {
        while (true) {
            InflightLogQueue.Group group;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (queue.isEmpty()) {
                    return; // closed, and everything queued is written
                }
                group = queue.take();
            }
            StoreException failed = writeAndSync(group.records());
            synchronized (this) {
                queue.written(group);
                if (failed == null && (files.segmentSize() >= segmentBytes
                        || index.size() + acked.size() >= maxCopies)) {
                    roll(); // before the stage completes: whoever waited on it sees the roll done
                }
            }
            group.synced(failed);
        }
    }

    /** Appends the records and syncs; returns the failure (which fails every later write too), else null. */
    private StoreException writeAndSync(InflightRecords records) {
        try {
            files.appendAndSync(records.encoded());
            return null;
        } catch (IOException | RuntimeException e) {
            StoreException failed = new StoreException("Could not write the in-flight log " + files.segmentPath()
                    + ": " + e, e);
            log.error("The in-flight log failed; offline stores fail until the node restarts (which replays it)",
                    e);
            synchronized (this) {
                failure = failed;
            }
            return failed;
        } finally {
            records.reset(InflightLogQueue.BUFFER_BYTES);
        }
    }

    /** Writes what is queued to the full segment, then hands it off ({@link InflightHandOff#roll}). Holds the lock. */
    private void roll() {
        if (!queue.isEmpty()) {
            InflightLogQueue.Group group = queue.take();
            StoreException failed = writeAndSync(group.records());
            queue.written(group);
            group.synced(failed);
            if (failed != null) {
                return;
            }
        }
        failure = handOff.roll(); // null until now: a failed write returned above
    }

    /**
     * Writes what is queued, moves the live messages to the table and deletes the log (what cannot be moved stays
     * in the log, for the next start's replay), then closes the table. Later writes fail.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed && !writer.isAlive()) {
                return;
            }
            closed = true;
            notifyAll();
        }
        WriterThreads.join(writer);
        synchronized (this) {
            try {
                handOff.closeLog(failure != null);
            } catch (IOException | RuntimeException e) {
                log.warn("The in-flight log stays for the next start to replay: {}", e.toString());
            }
        }
        table.close();
    }
}
