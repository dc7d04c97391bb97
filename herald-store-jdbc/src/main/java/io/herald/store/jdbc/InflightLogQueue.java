package io.herald.store.jdbc;

import java.util.concurrent.CompletableFuture;

/**
 * The records waiting for the in-flight log's writer and the stage their callers wait on: callers add to one buffer
 * while the writer writes and syncs the other, so a group gathers during each sync. Not thread-safe: guarded by
 * {@link InflightLogOfflineStore}'s lock.
 */
final class InflightLogQueue {
    /** A buffer's starting size, and what it shrinks back to after a group that grew it far beyond. */
    static final int BUFFER_BYTES = 64 * 1024;

    /** Records taken for one write and sync, and the stage of the callers who queued them. */
    record Group(InflightRecords records, CompletableFuture<Void> durable) {
        /** Completes the callers' stage: synced when {@code failed} is null. */
        void synced(StoreException failed) {
            if (failed == null) {
                durable.complete(null);
            } else {
                durable.completeExceptionally(failed);
            }
        }
    }

    private InflightRecords queued = new InflightRecords(BUFFER_BYTES);
    /** The buffer queued next; null while the writer writes it. */
    private InflightRecords spare = new InflightRecords(BUFFER_BYTES);
    /** Completes once the records queued now are synced. */
    private CompletableFuture<Void> queuedDurable = new CompletableFuture<>();
    /** Completes once the last record queued so far is synced. */
    private CompletableFuture<Void> lastDurable = CompletableFuture.completedFuture(null);

    /** The buffer to add records to; call {@link #added} after. */
    InflightRecords records() {
        return queued;
    }

    /** The stage of the records just added: completes once they are synced. */
    CompletableFuture<Void> added() {
        lastDurable = queuedDurable;
        return queuedDurable;
    }

    /** Completes once the last record queued so far is synced. */
    CompletableFuture<Void> lastDurable() {
        return lastDurable;
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** Takes what is queued for the writer; later records go to the other buffer, until {@link #written}. */
    Group take() {
        Group group = new Group(queued, queuedDurable);
        queued = spare;
        spare = null;
        queuedDurable = new CompletableFuture<>();
        return group;
    }

    /** The group's buffer is written (and reset): it takes the next records after the current buffer. */
    void written(Group group) {
        spare = group.records();
    }
}
