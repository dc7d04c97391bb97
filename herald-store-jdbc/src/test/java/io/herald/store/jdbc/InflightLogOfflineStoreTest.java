package io.herald.store.jdbc;

import static io.herald.store.jdbc.TestMessages.NOW;
import static io.herald.store.jdbc.TestMessages.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.herald.core.device.Device;
import io.herald.core.message.PushMessage;
import io.herald.core.store.MessageStatuses.DeliveryStatus;
import io.herald.core.store.MessageStatuses.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline store contract on the in-flight log (messages in the log and in the table read as one store), the
 * log's bounds (a full segment moves what is live to the table), and what survives a crash: a copy of the data
 * directory taken while the store runs, with its log's tail torn or damaged as a kill mid-append leaves it, opens
 * with every acknowledged store and without any acknowledged remove.
 */
class InflightLogOfflineStoreTest {
    @TempDir
    Path dataDir;
    private Database database;
    private InflightLogOfflineStore store;

    @BeforeEach
    void open() {
        database = Database.open(JdbcSettings.h2File(dataDir.resolve("live")));
        store = InflightLogOfflineStore.open(database);
    }

    @AfterEach
    void close() {
        store.close();
        database.close();
    }

    @Test
    void readsTheLogAndTheTableAsOneStoreOldestFirst() {
        inTheTable("dev", push(20));
        store.store(List.of("dev"), push(30));
        store.store(List.of("dev"), push(10));
        store.store(List.of("dev", "other"), push(40));

        assertThat(store.pending("dev", NOW, 10)).containsExactly(push(10), push(20), push(30), push(40));
        assertThat(store.pending("dev", NOW, 2)).containsExactly(push(10), push(20));
        assertThat(store.pending("dev", NOW, 0)).isEmpty();
        assertThat(store.countPending("dev", NOW)).isEqualTo(4);
        assertThat(store.countPending("other", NOW)).isEqualTo(1);
        assertThat(tableRows()).as("20 from before, and 10, which is not above it (a re-store, as far as the"
                + " store can tell)").isEqualTo(2);
        assertThatThrownBy(() -> store.pending("dev", NOW, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdersAndOutcomesOfLoggedCopiesAreTheTablesToo() {
        inTheTable("in-table", push(50));
        store.store(List.of("logged-b", "logged-a"), push(50));
        store.store(List.of("soon-expired"), push(51, NOW - 1));
        JdbcMessageStatuses statuses = new JdbcMessageStatuses(database, store, Duration.ofHours(1));

        assertThat(store.holders(50, 10)).containsExactly("in-table", "logged-a", "logged-b");
        assertThat(store.holders(50, 2)).containsExactly("in-table", "logged-a");

        store.removeSoon("logged-a", 50).join();
        store.removeSoon("in-table", 50).join();
        List<String> told = new ArrayList<>();
        assertThat(store.purgeExpired(NOW, (clientId, messageId) -> told.add(clientId + "/" + messageId)))
                .isEqualTo(1);

        assertThat(told).containsExactly("soon-expired/51");
        await().atMost(Duration.ofSeconds(5)).until(() -> statuses.of(50, 10)
                .size() == 3 && statuses.of(50, 10).stream().filter(s -> s.state() == State.ACKED).count() == 2);
        assertThat(statuses.of(50, 10)).extracting(DeliveryStatus::clientId, DeliveryStatus::state).containsExactly(
                tuple("logged-b", State.STORED),
                tuple("in-table", State.ACKED),
                tuple("logged-a", State.ACKED));
        assertThat(statuses.of(51, 10)).extracting(DeliveryStatus::state).containsExactly(State.EXPIRED);
    }

    @Test
    void removesFromWhereverTheMessageIsOnce() {
        inTheTable("dev", push(1));
        store.store(List.of("dev"), push(2));

        assertThat(store.remove("dev", 2)).isTrue();
        assertThat(store.remove("dev", 2)).isFalse();
        store.removeSoon("dev", 1).join();
        assertThat(store.remove("dev", 1)).isFalse();

        assertThat(store.pending("dev", NOW, 10)).isEmpty();
        assertThat(tableRows()).isZero();
    }

    @Test
    void storingAgainKeepsOneCopyWhereverTheFirstIs() {
        inTheTable("dev", push(5)); // not above the table's highest id: stored again there, a no-op
        store.store(List.of("dev"), push(5));
        store.store(List.of("a", "b", "a"), push(6));
        store.storeDurably(List.of("b", "c"), push(6)).join();

        assertThat(store.pending("dev", NOW, 10)).containsExactly(push(5));
        assertThat(store.pending("b", NOW, 10)).containsExactly(push(6));
        assertThat(store.countPending("dev", NOW) + store.countPending("a", NOW) + store.countPending("b", NOW)
                + store.countPending("c", NOW)).isEqualTo(4);
        assertThat(tableRows()).isEqualTo(1);
    }

    @Test
    void expiredMessagesAreNeitherPendingNorCountedAndPurgeDropsThem() {
        store.store(List.of("dev"), push(1, NOW - 1));
        store.store(List.of("dev"), push(2, NOW));
        store.store(List.of("dev"), push(3, NOW + 1));

        assertThat(store.pending("dev", NOW, 10)).containsExactly(push(3, NOW + 1));
        assertThat(store.countPending("dev", NOW)).isEqualTo(1);
        assertThat(store.countPending("dev", NOW - 10)).isEqualTo(3);
        assertThat(store.purgeExpired(NOW)).isEqualTo(2);
        assertThat(store.countPending("dev", NOW - 10)).isEqualTo(1);
    }

    @Test
    void aPushToMoreDevicesThanAChunkGoesToTheTable() {
        List<String> fleet = IntStream.range(0, Batching.CHUNK_SIZE + 1).mapToObj(i -> "fleet-" + i).toList();
        store.store(fleet, push(9));

        assertThat(tableRows()).isEqualTo(fleet.size());
        assertThat(store.pending("fleet-1000", NOW, 10)).containsExactly(push(9));
    }

    @Test
    void deletingTheDeviceDropsItsLoggedMessagesForGood() {
        inTheTable("gone", push(0));
        JdbcDeviceStore devices = new JdbcDeviceStore(database, store);
        devices.insert(new Device("gone", "hash", Instant.ofEpochMilli(NOW), TestMessages.GENERATION));
        store.store(List.of("gone", "kept"), push(1));

        assertThat(devices.delete("gone")).isTrue();

        assertThat(store.pending("gone", NOW, 10)).isEmpty();
        assertThat(store.pending("kept", NOW, 10)).containsExactly(push(1));
        store.close();
        database.close();
        database = Database.open(JdbcSettings.h2File(dataDir.resolve("live")));
        store = InflightLogOfflineStore.open(database);
        assertThat(store.pending("gone", NOW, 10)).as("not replayed after a restart").isEmpty();
        assertThat(store.pending("kept", NOW, 10)).containsExactly(push(1));
    }

    @Test
    void aFullSegmentMovesWhatIsLiveToTheTableAndIsDeleted() throws Exception {
        store.close();
        store = InflightLogOfflineStore.open(database, 4096, InflightLogOfflineStore.MAX_COPIES);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            writes.add(store.storeDurably(List.of("dev-" + i % 10), push(i)));
            if (i % 2 == 0) {
                writes.add(store.removeSoon("dev-" + i % 10, i)); // every even message is acked at once
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        // Rolled segments go once their ACK outcomes are in the outcome table, which is written in the background.
        await().atMost(Duration.ofSeconds(5)).until(() -> segments().size() == 1);
        assertThat(tableRows()).as("odd messages that were live at a roll moved to the table")
                .isBetween(1, 100);
        for (int d = 0; d < 10; d++) {
            int device = d;
            assertThat(store.pending("dev-" + d, NOW, 100)).extracting(PushMessage::messageId)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 200)
                            .filter(i -> i % 2 == 1 && i % 10 == device).mapToObj(i -> (long) i).toList());
        }
    }

    @Test
    void aSegmentAlsoRollsOnceItHoldsTooManyCopies() throws Exception {
        store.close();
        store = InflightLogOfflineStore.open(database, InflightLogOfflineStore.SEGMENT_BYTES, 50);
        List<String> devices = IntStream.range(0, 60).mapToObj(i -> "device-" + i).toList();
        store.store(devices, push(1)); // one small record, 60 copies in memory
        store.store(List.of("device-0"), push(2));

        assertThat(tableRows()).isEqualTo(60);
        assertThat(segments()).hasSize(1);
        assertThat(store.pending("device-0", NOW, 10)).containsExactly(push(1), push(2));
    }

    @Test
    void closingMovesWhatIsLiveToTheTableAndLeavesNoLog() throws Exception {
        store.store(List.of("dev"), push(1));
        store.store(List.of("dev"), push(2));
        store.remove("dev", 1);
        store.close();

        assertThat(segments()).isEmpty();
        assertThat(tableRows()).isEqualTo(1);
        assertThatThrownBy(() -> store.store(List.of("dev"), push(3))).isInstanceOf(StoreException.class);
        store = InflightLogOfflineStore.open(database);
        assertThat(store.pending("dev", NOW, 10)).containsExactly(push(2));
    }

    @Test
    void aTornTailIsCutAndEveryAcknowledgedWriteSurvives() throws Exception {
        writeAndAcknowledge();
        Path copy = copyOfTheDataDirectory();
        try (var segment = Files.newOutputStream(onlySegment(copy), StandardOpenOption.APPEND)) {
            // A record header promising 1,000 bytes, then the kill: 10 of them reached the file.
            segment.write(new byte[] {0, 0, 3, (byte) 232, 1, 2, 3, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 7});
        }

        assertReopened(copy, List.of(push(1), push(3)), "every acked store, and no acked remove");
    }

    @Test
    void aDamagedLastRecordIsCutAndOnlyItsWriteIsLost() throws Exception {
        writeAndAcknowledge(); // the last record is the tombstone of message 2
        Path copy = copyOfTheDataDirectory();
        Path segment = onlySegment(copy);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x5A; // inside the tombstone's client id: its checksum fails
        Files.write(segment, bytes);

        assertReopened(copy, List.of(push(1), push(2), push(3)),
                "a tombstone whose sync never completed: the message comes back, as at least once allows");
    }

    @Test
    void anAckedOutcomeIsAnsweredFromMemoryWithItsTimeBeforeAnyRoll() {
        JdbcMessageStatuses statuses = new JdbcMessageStatuses(database, store, Duration.ofHours(1));
        store.store(List.of("a", "b"), push(7));
        long before = System.currentTimeMillis();
        store.removeSoon("a", 7).join();
        long after = System.currentTimeMillis();

        assertThat(outcomeRows()).as("the push path inserts no outcome row").isZero();
        List<DeliveryStatus> status = statuses.of(7, 10);
        assertThat(status).extracting(DeliveryStatus::clientId, DeliveryStatus::state)
                .containsExactly(tuple("b", State.STORED), tuple("a", State.ACKED));
        assertThat(status.get(1).atMillis()).isBetween(before, after);
        store.remove("b", 7);
        assertThat(statuses.of(7, 10)).as("a discarded copy has no outcome").extracting(DeliveryStatus::clientId)
                .containsExactly("a");
    }

    @Test
    void aRollMovesTheSegmentsAckedOutcomesToTheTableAndDeletesItOnceTheyAreIn() throws Exception {
        store.close();
        store = InflightLogOfflineStore.open(database, 4096, InflightLogOfflineStore.MAX_COPIES);
        JdbcMessageStatuses statuses = new JdbcMessageStatuses(database, store, Duration.ofHours(1));
        for (int i = 1; i <= 200; i++) {
            store.storeDurably(List.of("dev-" + i % 10), push(i)).join();
            store.removeSoon("dev-" + i % 10, i).join();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> segments().size() == 1);
        assertThat(outcomeRows()).as("the rolled segments' outcomes").isBetween(1, 199);
        for (int i = 1; i <= 200; i++) {
            assertThat(statuses.of(i, 10)).as("message " + i).extracting(DeliveryStatus::clientId,
                    DeliveryStatus::state).containsExactly(tuple("dev-" + i % 10, State.ACKED));
        }
    }

    @Test
    void closingMovesTheAckedOutcomesToTheTable() {
        store.store(List.of("dev"), push(1));
        store.removeSoon("dev", 1).join();
        store.close();

        assertThat(outcomeRows()).isEqualTo(1);
        store = InflightLogOfflineStore.open(database);
        assertThat(new JdbcMessageStatuses(database, store, Duration.ofHours(1)).of(1, 10))
                .extracting(DeliveryStatus::clientId, DeliveryStatus::state).containsExactly(tuple("dev", State.ACKED));
    }

    @Test
    void anAckWhoseTombstoneWasSyncedKeepsItsOutcomeAcrossACrash() throws Exception {
        store.store(List.of("dev", "other"), push(1));
        long before = System.currentTimeMillis();
        store.removeSoon("dev", 1).join();
        Path copy = copyOfTheDataDirectory();

        try (Database reopened = Database.open(JdbcSettings.h2File(copy));
             InflightLogOfflineStore replayed = InflightLogOfflineStore.open(reopened)) {
            List<DeliveryStatus> status = new JdbcMessageStatuses(reopened, replayed, Duration.ofHours(1)).of(1, 10);
            assertThat(status).extracting(DeliveryStatus::clientId, DeliveryStatus::state)
                    .containsExactly(tuple("other", State.STORED), tuple("dev", State.ACKED));
            assertThat(status.get(1).atMillis()).as("the ack time the tombstone carried")
                    .isBetween(before, System.currentTimeMillis());
            assertThat(outcomeRowsIn(reopened)).as("the replay put it in the table").isEqualTo(1);
        }
    }

    @Test
    void aRolledSegmentLeftBehindGivesBackItsOutcomesButNotItsCopies() throws Exception {
        store.close();
        // What a crash after a roll leaves until the segment's outcomes are in the table: its copies are (and may
        // be acked and deleted there since), its ACK outcomes not yet.
        InflightLogFiles files = new InflightLogFiles(database.h2Files());
        files.startSegment();
        InflightRecords records = new InflightRecords(1024);
        records.store(List.of("acked", "moved"), push(3));
        records.ack("acked", 3, NOW + 5);
        files.appendAndSync(records.encoded());
        files.retireSegment();
        files.closeSegment();

        store = InflightLogOfflineStore.open(database);

        assertThat(store.pending("moved", NOW, 10)).as("the copy was moved to the table and deleted there").isEmpty();
        assertThat(new JdbcMessageStatuses(database, store, Duration.ofHours(1)).of(3, 10)).containsExactly(
                new DeliveryStatus("acked", State.ACKED, NOW + 5));
        assertThat(segments()).hasSize(1);
    }

    /** Stores the message in the offline table, as an earlier run left it, and opens the store again. */
    private void inTheTable(String clientId, PushMessage message) {
        store.close();
        new JdbcOfflineStore(database).store(List.of(clientId), message);
        store = InflightLogOfflineStore.open(database);
    }

    @Test
    void aForeignFileUnderTheLogsNameStopsTheStartWithItsName() throws Exception {
        store.close();
        Path foreign = dataDir.resolve("live").resolve(JdbcSettings.DEFAULT_H2_FILE_NAME + ".inflight.99.log");
        Files.write(foreign, "not a log at all".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> InflightLogOfflineStore.open(database)).isInstanceOf(StoreException.class)
                .hasMessageContaining(foreign.toString());
        Files.delete(foreign);
        store = InflightLogOfflineStore.open(database);
    }

    /** Stores 1, 2, 3 for "dev", then removes 2; all acknowledged (synced). */
    private void writeAndAcknowledge() {
        store.store(List.of("dev"), push(1));
        store.storeDurably(List.of("dev"), push(2)).join();
        store.store(List.of("dev"), push(3));
        assertThat(store.remove("dev", 2)).isTrue();
    }

    private void assertReopened(Path copy, List<PushMessage> expected, String why) {
        try (Database reopened = Database.open(JdbcSettings.h2File(copy));
             InflightLogOfflineStore replayed = InflightLogOfflineStore.open(reopened)) {
            assertThat(replayed.pending("dev", NOW, 10)).as(why).containsExactlyElementsOf(expected);
            assertThat(new JdbcOfflineStore(reopened).pending("dev", NOW, 10)).as("replayed into the table")
                    .containsExactlyElementsOf(expected);
            assertThat(segmentsIn(copy)).as("the replayed log is deleted, a fresh one started").hasSize(1);
        }
    }

    /** What a kill would leave: the database file and the log as they are on disk while the store runs. */
    private Path copyOfTheDataDirectory() throws IOException, SQLException {
        // H2 writes its file in the background: without a checkpoint first, a copy can catch the schema migration
        // half written (Flyway then finds an index it is about to create: "index already exists").
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
        Path live = dataDir.resolve("live");
        Path copy = Files.createDirectories(dataDir.resolve("copy"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(live)) {
            for (Path file : files) {
                if (!file.getFileName().toString().endsWith(".lock.db")) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        return copy;
    }

    private static Path onlySegment(Path directory) throws IOException {
        List<Path> segments = segmentsIn(directory);
        assertThat(segments).hasSize(1);
        return segments.get(0);
    }

    private List<Path> segments() throws IOException {
        return segmentsIn(dataDir.resolve("live"));
    }

    private static List<Path> segmentsIn(Path directory) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.inflight.*.log")) {
            files.forEach(found::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private int tableRows() {
        return count(database, "offline_message");
    }

    private int outcomeRows() {
        return outcomeRowsIn(database);
    }

    private static int outcomeRowsIn(Database in) {
        return count(in, MessageOutcomeTable.TABLE);
    }

    private static int count(Database in, String table) {
        try (Connection connection = in.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
