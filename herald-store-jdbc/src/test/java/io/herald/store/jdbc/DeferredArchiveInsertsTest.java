package io.herald.store.jdbc;

import static io.herald.store.jdbc.TestMessages.GENERATION;
import static io.herald.store.jdbc.TestMessages.NOW;
import static io.herald.store.jdbc.TestMessages.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.message.UpstreamMessage;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's H2 inserts behind the journal, on a real H2 file: an acked batch survives a kill before its
 * insert, a segment outlives its rows' insert, a failed insert keeps the journal, and a stalled insert stops the
 * archive writer instead of growing memory.
 */
class DeferredArchiveInsertsTest {
    @TempDir
    Path dataDir;

    private static final String BASE = JdbcSettings.DEFAULT_H2_FILE_NAME;

    /**
     * What {@code appendDurably} returned for is on disk when it returns, though H2 may not have inserted it yet: a
     * copy of the data directory taken at that moment (a SIGKILL then) holds it after the next open, once.
     */
    @Test
    void anAcknowledgedBatchSurvivesAKillBeforeItsInsert() throws Exception {
        Path live = dataDir.resolve("live");
        Path copy = Files.createDirectories(dataDir.resolve("copy"));
        try (Database database = Database.open(JdbcSettings.h2File(live))) {
            JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database);
            assertThat(archive.appendDurably(List.of(upstream("a", 1, NOW), upstream("a", 1, NOW),
                    upstream("b", 2, NOW))).join()).isEqualTo(2);
            copyDataDirectory(live, copy);
            assertThat(archive.latest("a", GENERATION, 10)).containsExactly(upstream("a", 1, NOW));
        }
        try (Database snapshot = Database.open(JdbcSettings.h2File(copy))) {
            JdbcUpstreamArchive archive = new JdbcUpstreamArchive(snapshot);
            assertThat(archive.latest("a", GENERATION, 10)).containsExactly(upstream("a", 1, NOW));
            assertThat(archive.latest("b", GENERATION, 10)).containsExactly(upstream("b", 2, NOW));
        }
    }

    /** A full segment is deleted only after its rows are committed (and checkpointed), never while they wait. */
    @Test
    void aSegmentStaysUntilItsRowsAreInserted() {
        try (Database database = Database.open(JdbcSettings.h2File(dataDir.resolve("db")))) {
            CountDownLatch release = new CountDownLatch(1);
            List<UpstreamMessage> inserted = new ArrayList<>();
            UpstreamJournal journal = new UpstreamJournal(dataDir, BASE);
            DeferredArchiveInserts inserts = new DeferredArchiveInserts(rows -> {
                await(release);
                inserted.addAll(rows);
            }, journal, database.flusher());
            try {
                Path full = closedSegment(journal, inserts);

                database.flusher().awaitDurable();
                assertThat(journal.segments()).contains(full);

                release.countDown();
                inserts.awaitInserted();
                database.flusher().awaitDurable(); // after the checkpoint that retires the segment
                assertThat(inserted).containsExactly(upstream("a", 1, NOW), upstream("a", 2, NOW));
                assertThat(journal.segments()).doesNotContain(full);
            } finally {
                inserts.close();
                journal.close();
            }
        }
    }

    /** After a failed insert the rows are only in the journal: it keeps them for the next start. */
    @Test
    void aFailedInsertRetiresNothing() {
        try (Database database = Database.open(JdbcSettings.h2File(dataDir.resolve("db")))) {
            UpstreamJournal journal = new UpstreamJournal(dataDir, BASE);
            DeferredArchiveInserts inserts = new DeferredArchiveInserts(rows -> {
                throw new StoreException("disk full");
            }, journal, database.flusher());
            try {
                Path full = closedSegment(journal, inserts);
                inserts.awaitInserted();
                database.flusher().awaitDurable();

                assertThat(journal.segments()).contains(full);
            } finally {
                inserts.close();
                journal.close();
            }
        }
    }

    /** An insert that does not keep up holds the archive writer (and so the ACKs) at a bounded backlog. */
    @Test
    void aStalledInsertBoundsTheBacklog() throws Exception {
        try (Database database = Database.open(JdbcSettings.h2File(dataDir.resolve("db")))) {
            CountDownLatch release = new CountDownLatch(1);
            UpstreamJournal journal = new UpstreamJournal(dataDir, BASE);
            DeferredArchiveInserts inserts = new DeferredArchiveInserts(rows -> await(release), journal,
                    database.flusher());
            try {
                List<UpstreamMessage> rows = new ArrayList<>();
                for (int id = 0; id < DeferredArchiveInserts.MAX_WAITING_ROWS + 1; id++) {
                    rows.add(upstream("a", id, NOW));
                }
                inserts.add(rows, null);
                Thread writer = new Thread(inserts::awaitRoom);
                writer.start();
                writer.join(300);
                assertThat(writer.isAlive()).as("the archive writer waits for room").isTrue();

                release.countDown();
                writer.join();
                assertThat(writer.isAlive()).isFalse();
            } finally {
                release.countDown();
                inserts.close();
                journal.close();
            }
        }
    }

    /** Appends two batches, the second closing the segment as the archive does, and queues both. */
    private static Path closedSegment(UpstreamJournal journal, DeferredArchiveInserts inserts) {
        List<UpstreamMessage> first = List.of(upstream("a", 1, NOW));
        List<UpstreamMessage> second = List.of(upstream("a", 2, NOW));
        assertThat(journal.append(first, NOW)).isNull();
        inserts.add(first, null);
        Path full = journal.append(second, NOW + UpstreamJournal.SEGMENT_MILLIS);
        assertThat(full).isNotNull();
        inserts.add(second, full);
        return full;
    }

    private static void copyDataDirectory(Path from, Path to) throws Exception {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from, BASE + "*")) {
            for (Path file : files) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
