package io.herald.gateway.delivery;

import io.herald.core.store.OfflineStore;
import io.herald.core.store.OfflineStore.StoredCopy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes acked QoS 1 messages from the offline store in groups across devices: the ACKs arriving within
 * {@link #MAX_DELAY_MILLIS} ms (or {@link #MAX_GROUP} of them) become one {@link OfflineStore#removeAll}, one
 * statement batch and one commit, instead of one transaction per ACK.
 *
 * <p>What it keeps of the promise "deleted only after the ACK": a copy is queued here only once its ACK arrived.
 * What a crash costs: ACKs of the last few milliseconds whose delete was not written yet; their messages are
 * delivered again after the restart, which at-least-once allows and the device drops as a duplicate by id
 * (docs/reliability.md, "Duplicates"). (An embedded H2 file had that window already: a delete is in the file after
 * its next background write, about every 500 ms.)
 *
 * <p>Ordering with the store's readers: whoever reads the store for a device after an ACK (a replay fetch, a closing
 * session's hand-off, both on {@link OfflineStorage}'s stripes) calls {@link #flush} first, which returns once every
 * delete queued before it is written, so a replay never resends what the device acked.
 */
final class AckedDeletes implements AutoCloseable {
    static final int MAX_GROUP = 1_000;
    static final long MAX_DELAY_MILLIS = 2;
    private static final Logger log = LoggerFactory.getLogger(AckedDeletes.class);

    private final OfflineStore store;
    private final Thread thread;
    /** Guarded by {@code this}. */
    private List<StoredCopy> queued = new ArrayList<>();
    private boolean closed;
    /** One group written at a time: a {@link #flush} caller waits for the group in progress. */
    private final Object writing = new Object();

    AckedDeletes(OfflineStore store) {
        this.store = store;
        this.thread = new Thread(this::run, "herald-ack-delete");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the delete of an acked copy; returns at once (called on event loops). */
    void add(String clientId, long messageId) {
        synchronized (this) {
            queued.add(new StoredCopy(clientId, messageId));
            if (queued.size() == 1 || queued.size() >= MAX_GROUP) {
                notifyAll();
            }
        }
    }

    /** Writes every delete queued before this call (and any group being written), blocking; for the stripes. */
    void flush() {
        synchronized (writing) {
            List<StoredCopy> group;
            synchronized (this) {
                if (queued.isEmpty()) {
                    return;
                }
                group = queued;
                queued = new ArrayList<>();
            }
            write(group);
        }
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (queued.isEmpty() && !closed) {
                    waitQuietly(0);
                }
                if (queued.isEmpty()) {
                    return; // closed, nothing left
                }
                if (!closed && queued.size() < MAX_GROUP) {
                    waitQuietly(MAX_DELAY_MILLIS); // let the ACKs of the next few milliseconds join
                }
            }
            flush();
        }
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    private void write(List<StoredCopy> group) {
        try {
            store.removeAll(group);
        } catch (RuntimeException e) {
            // They stay stored: the devices get them once more on their next replay and drop them by id.
            log.error("could not remove {} delivered message(s) from the offline store", group.size(), e);
        }
    }

    /** Writes what is queued, then stops the thread. */
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
        flush();
    }
}
