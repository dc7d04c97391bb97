package io.herald.gateway.upstream.builtin;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the upstream archive: messages from every device queue up, and one writer thread stores
 * whatever has accumulated in one transaction; each message's future completes once its batch is durable. Under
 * load a single commit carries hundreds of messages; when idle, a lone message is written at once.
 */
final class ArchiveBatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArchiveBatcher.class);
    private static final int MAX_BATCH = 500;

    private record Entry(UpstreamMessage message, CompletableFuture<Void> stored) {
    }

    private final UpstreamSink archive;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    ArchiveBatcher(UpstreamSink archive) {
        this.archive = archive;
        this.writer = new Thread(this::run, "herald-archive-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    CompletableFuture<Void> append(UpstreamMessage message) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (!running) {
            stored.completeExceptionally(new IllegalStateException("archive is shutting down"));
            return stored;
        }
        queue.add(new Entry(message, stored));
        return stored;
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Commits the batch and goes on: each message's future completes once the batch is durable. The standalone
     * archive syncs its journal before it returns (the batches queued meanwhile form the next, larger batch); a
     * sink that is durable in groups completes later, and the next batches commit meanwhile.
     */
    private void write(List<Entry> batch) {
        List<Entry> entries = List.copyOf(batch);
        try {
            archive.appendDurably(entries.stream().map(Entry::message).toList()).whenComplete((inserted, error) -> {
                if (error == null) {
                    entries.forEach(entry -> entry.stored.complete(null));
                } else {
                    failed(entries, error);
                }
            });
        } catch (RuntimeException e) {
            failed(entries, e);
        }
    }

    private static void failed(List<Entry> entries, Throwable error) {
        log.error("could not archive {} upstream message(s); devices will resend", entries.size(), error);
        entries.forEach(entry -> entry.stored.completeExceptionally(error));
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
