package io.herald.store.jdbc;

import io.herald.core.concurrent.Stages;
import io.herald.core.message.PushMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves what the in-flight log holds to the offline table: its live copies ({@link InflightIndex}) and the
 * outcomes of its ACKs ({@link AckedOutcomes}), from the log a crash left (at the start), from a full segment (a
 * roll) and from the last one (at close). A segment is deleted only once both are in the table, durably; a rolled
 * one ends with a mark that its copies are there (so a replay takes only its outcomes) and goes once its outcomes
 * are, which the table writes without the store's lock held.
 *
 * <p>Not thread-safe: {@link InflightLogOfflineStore} calls it under its lock. The outcome moves complete on the
 * table's threads, which touch only {@link AckedOutcomes} (thread-safe) and the retired file.
 */
final class InflightHandOff {
    private static final Logger log = LoggerFactory.getLogger(InflightHandOff.class);

    private final GroupCommitOfflineStore table;
    private final InflightLogFiles files;
    private final InflightIndex index;
    private final AckedOutcomes acked;
    /** No message with a higher id is in the table: a store above it cannot be a copy of a table row. */
    private long tableWatermark;
    /** Completes once the outcomes of every rolled segment are in the table (or given up) and the segment gone. */
    private CompletableFuture<Void> rolledOut = CompletableFuture.completedFuture(null);

    InflightHandOff(GroupCommitOfflineStore table, InflightLogFiles files, InflightIndex index, AckedOutcomes acked) {
        this.table = table;
        this.files = files;
        this.index = index;
        this.acked = acked;
    }

    /**
     * Replays the segments an earlier run left, moves their copies and outcomes to the table, deletes them, and
     * starts the segment to append to.
     */
    void replayLeftBehind() {
        List<Path> left = files.leftBehind();
        for (Path segment : left) {
            files.replay(segment, index, acked);
        }
        int replayed = index.size();
        int outcomes = acked.size();
        moveCopies();
        Stages.await(moveOutcomes());
        files.delete(left);
        if (!left.isEmpty()) {
            log.info("Replayed {} unacknowledged message copies and {} ACK outcomes from {} in-flight log "
                    + "segment(s) into the offline table", replayed, outcomes, left.size());
        }
        tableWatermark = table.highestMessageId();
        files.startSegment();
    }

    long tableWatermark() {
        return tableWatermark;
    }

    /** The message went to the table. */
    void raiseWatermark(long messageId) {
        tableWatermark = Math.max(tableWatermark, messageId);
    }

    /**
     * Moves the live copies to the table, marks the full segment so and starts a new one; the segment's outcomes
     * follow in the background, and the segment is deleted once they are in. When the table refuses the copies,
     * the segment stays (and grows) and the next group tries again.
     *
     * @return the failure that stops the log (the segment cannot be marked or replaced), else null
     */
    StoreException roll() {
        try {
            moveCopies();
        } catch (RuntimeException e) {
            log.error("Could not move {} in-flight message copies to the offline table; the log segment stays",
                    index.size(), e);
            return null;
        }
        // The mark goes first: the segment's copies are in the table now, and a replay of its stores at the next
        // start would bring back messages whose rows are deleted from the table from now on.
        Path retired;
        try {
            retired = files.retireSegment();
        } catch (IOException | RuntimeException e) {
            log.error("Could not roll the in-flight log", e);
            return new StoreException("Could not roll the in-flight log: " + e, e);
        }
        CompletableFuture<Void> deleted = moveOutcomes().handle((ok, error) -> {
            if (error != null) {
                log.warn("Could not move ACK outcomes to the table; {} stays for the next start to replay: {}",
                        retired, error.toString());
                return null;
            }
            try {
                files.deleteRetired(retired);
            } catch (RuntimeException e) {
                log.warn("Could not delete the rolled in-flight log segment {}: {}", retired, e.toString());
            }
            return null;
        });
        rolledOut = CompletableFuture.allOf(rolledOut, deleted);
        return null;
    }

    /**
     * At close, with the writer stopped: moves what the last segment holds to the table and deletes it (unless the
     * log {@code failed}: it stays for the next start to replay), then waits for the rolled segments' outcomes.
     */
    void closeLog(boolean failed) throws IOException {
        files.closeSegment();
        if (!failed) {
            moveCopies();
            Stages.await(moveOutcomes());
            files.deleteSegment();
        }
        Stages.await(rolledOut); // before the table closes: a rolled segment is then gone or kept for good
    }

    /** Stores every message of the index in the table, durably, then empties the index. */
    private void moveCopies() {
        Map<PushMessage, Collection<String>> live = index.byMessage();
        List<CompletableFuture<Void>> stored = new ArrayList<>(live.size());
        live.forEach((message, clientIds) -> {
            stored.add(table.storeDurably(clientIds, message));
            raiseWatermark(message.messageId());
        });
        Stages.await(CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)));
        index.clear();
    }

    /**
     * Hands the ACK outcomes held so far to the table; the stage completes once they are durable there. They are
     * answered from memory until then (and, should the table refuse them, no longer: their segment keeps them).
     */
    private CompletableFuture<Void> moveOutcomes() {
        AckedOutcomes.Batch batch = acked.drain();
        return table.recordOutcomes(batch.outcomes()).whenComplete((ok, error) -> acked.moved(batch));
    }
}
