package io.herald.store.jdbc;

/**
 * What the store's single-writer classes (group commit, in-flight log, deferred archive inserts, commit flusher)
 * share: the wait for the writer thread to end once told to stop. A caller waiting for the writer's stage uses
 * {@link io.herald.core.concurrent.Stages#await}.
 */
final class WriterThreads {
    /** How long a close waits for its writer to finish what is queued; what is left is replayed at the next start. */
    private static final long JOIN_MILLIS = 10_000;

    private WriterThreads() {
    }

    /** Waits for {@code writer} (already told to stop) to end, keeping the caller's interrupt. */
    static void join(Thread writer) {
        try {
            writer.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
