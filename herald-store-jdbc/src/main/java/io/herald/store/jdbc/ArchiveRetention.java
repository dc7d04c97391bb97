package io.herald.store.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the upstream archive to a retention period: every {@link #INTERVAL} a thread of its own deletes the
 * messages received longer ago than that, oldest first, in batches of {@link #BATCH_SIZE} with a pause between
 * them, off the write path: devices' ACKs never wait for it, and each batch holds its few old rows only briefly.
 * One pass stops after {@link #MAX_PASS}; the next pass carries on, so a huge backlog (a retention just shortened)
 * is worked off over several minutes rather than in one long burst.
 */
public final class ArchiveRetention implements AutoCloseable {
    /** A month: long enough to look into what a device sent, short enough that the archive stays bounded. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int BATCH_SIZE = 1000;
    static final Duration PAUSE = Duration.ofMillis(20);
    static final Duration MAX_PASS = Duration.ofSeconds(20);

    private static final Logger log = LoggerFactory.getLogger(ArchiveRetention.class);

    private final JdbcUpstreamArchive archive;
    private final Duration retention;
    private final Clock clock;
    /** Runs the passes; null when the retention is off, or for a cleaner a test drives through {@link #pass}. */
    private ScheduledExecutorService thread;

    /** A cleaner without a thread: {@link #start} gives it one; tests call {@link #pass} themselves. */
    ArchiveRetention(JdbcUpstreamArchive archive, Duration retention, Clock clock) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.retention = requireValid(retention);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts the periodic cleanup, the first pass right away; a {@code retention} of zero keeps messages forever
     * (nothing runs).
     *
     * @throws IllegalArgumentException for a negative retention
     */
    public static ArchiveRetention start(JdbcUpstreamArchive archive, Duration retention, Clock clock) {
        ArchiveRetention cleaner = new ArchiveRetention(archive, retention, clock);
        if (retention.isZero()) {
            log.info("Upstream archive retention: off (messages are kept forever)");
            return cleaner;
        }
        cleaner.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-archive-retention");
            thread.setDaemon(true);
            return thread;
        });
        cleaner.thread.scheduleWithFixedDelay(cleaner::passLoggingFailures, 0, INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("Upstream archive retention: {} (old messages deleted every {})", retention, INTERVAL);
        return cleaner;
    }

    /** The retention as an option takes it: zero (keep forever) or positive. */
    public static Duration requireValid(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("archive retention must be 0 (keep forever) or positive, was "
                    + retention);
        }
        return retention;
    }

    /**
     * One pass: deletes messages received before now minus the retention, batch after batch, until none is left or
     * {@link #MAX_PASS} is used up. Returns how many it deleted.
     */
    int pass() throws InterruptedException {
        long cutoff = clock.millis() - retention.toMillis();
        long deadline = System.nanoTime() + MAX_PASS.toNanos();
        int deleted = 0;
        while (true) {
            int batch = archive.deleteReceivedBefore(cutoff, BATCH_SIZE);
            deleted += batch;
            if (batch < BATCH_SIZE || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(PAUSE.toMillis()); // let writers have the database between batches
        }
        if (deleted > 0) {
            log.info("Upstream archive retention: deleted {} message(s) received more than {} ago", deleted,
                    retention);
        }
        return deleted;
    }

    private void passLoggingFailures() {
        try {
            pass();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Upstream archive retention failed; will try again in {}: {}", INTERVAL, e.getMessage());
        }
    }

    /** Stops the cleanup; a batch in progress is interrupted between statements or finishes. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
