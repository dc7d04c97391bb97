package io.herald.server.node;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** An executor as something a {@link Closer} can close: finish queued work, briefly. */
public record ExecutorCloser(ExecutorService executor) implements AutoCloseable {
    private static final long GRACE_SECONDS = 5;

    public ScheduledExecutorService scheduled() {
        return (ScheduledExecutorService) executor;
    }

    /** A thread factory of daemon threads with the given name. */
    public static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
