package io.herald.store.jdbc;

import static io.herald.store.jdbc.TestMessages.GENERATION;
import static io.herald.store.jdbc.TestMessages.NOW;
import static io.herald.store.jdbc.TestMessages.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.message.UpstreamMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream archive's write-ahead journal on a real H2 file: what a run leaves in it is archived at the next
 * open, exactly once, a record cut short by a crash is dropped, and segments go once a checkpoint covers them.
 */
class UpstreamJournalTest {
    @TempDir
    Path dataDir;

    private final String base = JdbcSettings.DEFAULT_H2_FILE_NAME;

    /** Rows that reached only the journal (the process was killed before H2 wrote its file) are archived at open. */
    @Test
    void aSegmentLeftByTheLastRunIsArchivedAtOpenAndDeleted() {
        UpstreamJournal journal = new UpstreamJournal(dataDir, base);
        journal.append(List.of(upstream("a", 1, NOW), upstream("b", 2, NOW)), NOW);
        journal.append(List.of(upstream("a", 3, NOW + 1)), NOW);
        journal.close();

        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database);
            assertThat(archive.latest("a", GENERATION, 10))
                    .containsExactly(upstream("a", 3, NOW + 1), upstream("a", 1, NOW));
            assertThat(archive.latest("b", GENERATION, 10)).containsExactly(upstream("b", 2, NOW));
            assertThat(database.upstreamJournal().segments()).isEmpty();
        }
    }

    /** A resend journaled again, and a row the file already holds, are archived once. */
    @Test
    void replayStoresEachMessageOnce() {
        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            new JdbcUpstreamArchive(database).append(List.of(upstream("a", 1, NOW)));
        }
        UpstreamJournal journal = new UpstreamJournal(dataDir, base);
        journal.append(List.of(upstream("a", 1, NOW), upstream("a", 2, NOW)), NOW);
        journal.append(List.of(upstream("a", 2, NOW)), NOW);
        journal.close();

        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            assertThat(new JdbcUpstreamArchive(database).latest("a", GENERATION, 10))
                    .containsExactly(upstream("a", 2, NOW), upstream("a", 1, NOW));
        }
    }

    /**
     * A resend of a message the database holds is journaled again before its ACK: the first copy's journal append
     * may have failed (the device got RETRY), and the row is not durable until a journal or a checkpoint has it.
     */
    @Test
    void aResendOfAStoredMessageIsJournaledAgain() throws Exception {
        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database);
            archive.append(List.of(upstream("a", 1, NOW)));
            database.upstreamJournal().close();
            for (Path segment : database.upstreamJournal().segments()) {
                Files.delete(segment); // as if that append had failed after the commit
            }

            assertThat(archive.append(List.of(upstream("a", 1, NOW)))).isZero();

            List<Path> segments = database.upstreamJournal().segments();
            assertThat(segments).hasSize(1);
            assertThat(read(segments.get(0))).containsExactly(upstream("a", 1, NOW));
        }
    }

    /** A crash in the middle of an append leaves a record cut short: it was never synced, so never acked. */
    @Test
    void aRecordCutShortEndsItsSegment() throws Exception {
        Path segment = segmentOfTwoRecords();
        byte[] bytes = Files.readAllBytes(segment);
        Arrays.fill(bytes, endOfRecords(bytes) - 5, endOfRecords(bytes), (byte) 0); // the segment is preallocated
        Files.write(segment, bytes);

        assertThat(read(segment)).containsExactly(upstream("a", 1, NOW));
        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            assertThat(new JdbcUpstreamArchive(database).latest("a", GENERATION, 10))
                    .containsExactly(upstream("a", 1, NOW));
        }
    }

    /** A segment is written to its full size at open, so an append never grows the file it syncs. */
    @Test
    void aSegmentIsPreallocatedAndItsZerosEndTheRecords() throws Exception {
        Path segment = segmentOfTwoRecords();

        assertThat(Files.size(segment)).isEqualTo(UpstreamJournal.PREALLOCATED_BYTES);
        assertThat(read(segment)).containsExactly(upstream("a", 1, NOW), upstream("a", 2, NOW));
    }

    @Test
    void aDamagedRecordEndsItsSegment() throws Exception {
        Path segment = segmentOfTwoRecords();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[endOfRecords(bytes) - 3] ^= 0x55; // in the second record's payload
        Files.write(segment, bytes);

        assertThat(read(segment)).containsExactly(upstream("a", 1, NOW));
    }

    /** Where the zeros of the preallocated segment start: its records end in a payload byte that is not zero. */
    private static int endOfRecords(byte[] segment) {
        int end = segment.length;
        while (segment[end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** The records of {@code segment} as a journal of this data directory reads them. */
    private List<UpstreamMessage> read(Path segment) {
        return new UpstreamJournal(dataDir, base).read(segment);
    }

    /** A segment, as a run leaves it, holding message 1 of "a" and then message 2. */
    private Path segmentOfTwoRecords() {
        UpstreamJournal journal = new UpstreamJournal(dataDir, base);
        journal.append(List.of(upstream("a", 1, NOW)), NOW);
        journal.append(List.of(upstream("a", 2, NOW)), NOW);
        journal.close();
        return journal.segments().get(0);
    }

    /** A file of another kind under a journal's name stops the open with its name, instead of being misread. */
    @Test
    void aForeignFileIsRefusedByName() throws Exception {
        Path foreign = Files.write(dataDir.resolve(base + ".upstream.1.journal"), "not a journal".getBytes());

        assertThatThrownBy(() -> Database.open(JdbcSettings.h2File(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(foreign.toString());
    }

    /** Large payloads and no trace id go through the record format unchanged. */
    @Test
    void everyFieldSurvivesTheJournal() {
        byte[] payload = new byte[200_000];
        payload[123] = 7;
        UpstreamMessage large = upstream("big", 9, payload);
        UpstreamJournal journal = new UpstreamJournal(dataDir, base);
        journal.append(List.of(large), NOW);
        journal.close();

        assertThat(read(journal.segments().get(0))).containsExactly(large);
    }

    /** A segment older than {@link UpstreamJournal#SEGMENT_MILLIS} is closed and, once checkpointed, deleted. */
    @Test
    void anOldSegmentIsRetiredAfterACheckpoint() throws Exception {
        MutableClock clock = new MutableClock();
        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            JdbcUpstreamArchive archive = new JdbcUpstreamArchive(database, clock);
            archive.append(List.of(upstream("a", 1, NOW)));
            Path first = database.upstreamJournal().segments().get(0);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rw-------");

            clock.millis += UpstreamJournal.SEGMENT_MILLIS;
            archive.append(List.of(upstream("a", 2, NOW)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.exists(first) && System.nanoTime() < deadline) {
                Thread.sleep(10); // the checkpoint that retires it runs on the flusher's thread
            }
            assertThat(first).doesNotExist();

            archive.append(List.of(upstream("a", 3, NOW)));
            assertThat(database.upstreamJournal().segments()).hasSize(1).doesNotContain(first);
            assertThat(archive.latest("a", GENERATION, 10)).hasSize(3);
        }
    }

    private static final class MutableClock extends Clock {
        long millis = NOW;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
