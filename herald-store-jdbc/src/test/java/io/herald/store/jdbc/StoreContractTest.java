package io.herald.store.jdbc;

import static io.herald.store.jdbc.TestMessages.GENERATION;
import static io.herald.store.jdbc.TestMessages.HOUR;
import static io.herald.store.jdbc.TestMessages.NOW;
import static io.herald.store.jdbc.TestMessages.push;
import static io.herald.store.jdbc.TestMessages.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.herald.core.device.Device;
import io.herald.core.message.PushMessage;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.MessageStatuses;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour every database must show through the three stores, written once; each subclass supplies one
 * database. The database is created and migrated once per subclass and emptied before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {
    private static final Logger log = LoggerFactory.getLogger(StoreContractTest.class);
    private static final String SECRET_HASH = "pbkdf2-sha256$1000$c2FsdA$aGFzaA";
    private static final int MIB = 1024 * 1024;

    private TestDatabase testDatabase;
    Database database;
    JdbcDeviceStore devices;
    JdbcOfflineStore offline;
    JdbcUpstreamArchive archive;

    /** Creates the database this class runs against. */
    abstract TestDatabase createDatabase();

    @BeforeAll
    void openDatabase() {
        testDatabase = createDatabase();
        database = Database.open(testDatabase.settings());
        devices = new JdbcDeviceStore(database);
        offline = new JdbcOfflineStore(database);
        archive = new JdbcUpstreamArchive(database);
    }

    @AfterAll
    void dropDatabase() {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            if (testDatabase != null) {
                testDatabase.close();
            }
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM offline_message");
            statement.executeUpdate("DELETE FROM message_outcome");
            statement.executeUpdate("DELETE FROM upstream_message");
            statement.executeUpdate("DELETE FROM device");
        }
    }

    String databaseName() {
        return testDatabase.name();
    }

    long rowCount(String table) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    static Device device(String clientId) {
        return new Device(clientId, SECRET_HASH, Instant.ofEpochMilli(NOW), GENERATION);
    }

    static List<String> clientIds(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    @Nested
    class Schema {
        @Test
        void reportsTheDialectOfItsUrlAndIsHealthy() {
            assertThat(database.dialect()).isEqualTo(testDatabase.settings().dialect());
            assertThat(database.isHealthy()).isTrue();
        }

        @Test
        void openingAgainOnAMigratedSchemaAppliesNothingAndKeepsTheData() {
            devices.insert(device("kept"));

            try (Database again = Database.open(testDatabase.settings())) {
                assertThat(again.migrationsApplied()).isZero();
                assertThat(again.isHealthy()).isTrue();
                assertThat(new JdbcDeviceStore(again).find("kept")).isPresent();
            }
            assertThat(database.isHealthy()).as("the first pool is untouched").isTrue();
        }
    }

    @Nested
    class Devices {
        @Test
        void insertsAndFindsADevice() {
            Device device = device("sensor-1");

            assertThat(devices.insert(device)).isTrue();

            assertThat(devices.find("sensor-1")).contains(device);
            assertThat(devices.find("sensor-1").orElseThrow().secretHash()).isEqualTo(SECRET_HASH);
            assertThat(devices.find("sensor-2")).isEmpty();
        }

        @Test
        void aSecondInsertOfTheSameIdIsRefusedAndChangesNothing() {
            devices.insert(device("sensor-1"));
            Device impostor = new Device("sensor-1", "other-hash", Instant.ofEpochMilli(NOW + 5), GENERATION + 1);

            assertThat(devices.insert(impostor)).isFalse();

            assertThat(devices.find("sensor-1").orElseThrow().secretHash()).isEqualTo(SECRET_HASH);
            assertThat(devices.count()).isEqualTo(1);
        }

        @Test
        void clientIdsAreCaseSensitive() {
            assertThat(devices.insert(device("Sensor-A"))).isTrue();
            assertThat(devices.insert(device("sensor-a"))).isTrue();

            assertThat(devices.find("SENSOR-A")).isEmpty();
            assertThat(devices.existing(List.of("Sensor-A", "sensor-a", "SENSOR-A")))
                    .containsExactlyInAnyOrder("Sensor-A", "sensor-a");
        }

        @Test
        void keepsTheLongestValidIdAndEveryAllowedCharacter() {
            String longest = "a".repeat(120) + "._:@-Z09";
            assertThat(longest).hasSize(128);

            assertThat(devices.insert(device(longest))).isTrue();

            assertThat(devices.find(longest)).contains(device(longest));
        }

        @Test
        void keepsTheRegistrationGeneration() {
            Device device = new Device("gen", SECRET_HASH, Instant.ofEpochMilli(NOW), Long.MIN_VALUE + 1);
            devices.insert(device);

            assertThat(devices.find("gen").orElseThrow().generation()).isEqualTo(Long.MIN_VALUE + 1);
        }

        @Test
        void listsAPrefixInCharacterCodeOrder() {
            // Every character an id may hold, shuffled: '-' '.' digits ':' '@' capitals '_' small letters.
            List<String> ordered = List.of("d", "d-", "d.", "d0", "d:", "d@", "dA", "d_", "da", "dz");
            List<String> shuffled = new ArrayList<>(ordered);
            java.util.Collections.shuffle(shuffled, new java.util.Random(9));
            shuffled.forEach(id -> devices.insert(device(id)));
            List.of("c", "cz", "e", "D", "_d").forEach(id -> devices.insert(device(id)));

            assertThat(devices.list("d", null, 100)).extracting(Device::clientId).containsExactlyElementsOf(ordered);
            assertThat(devices.list("", null, 3)).extracting(Device::clientId).containsExactly("D", "_d", "c");
            assertThat(devices.list("d", "d:", 3)).extracting(Device::clientId).containsExactly("d@", "dA", "d_");
            assertThat(devices.list("d", "dz", 3)).isEmpty();
            assertThat(devices.list("d", "a", 2)).extracting(Device::clientId).containsExactly("d", "d-");
            assertThat(devices.list("x", null, 10)).isEmpty();
            assertThat(devices.list("d", null, 100).get(0)).isEqualTo(device("d"));
        }

        @Test
        void anUnderscoreInThePrefixIsNoWildcard() {
            List.of("a_b1", "a_b2", "aXb", "a-b", "ab").forEach(id -> devices.insert(device(id)));

            assertThat(devices.list("a_", null, 10)).extracting(Device::clientId).containsExactly("a_b1", "a_b2");
            assertThat(devices.list("a_b", "a_b1", 10)).extracting(Device::clientId).containsExactly("a_b2");
        }

        @Test
        void deletesTheDeviceAndOnlyItsOfflineMessages() {
            devices.insert(device("gone"));
            devices.insert(device("stays"));
            offline.store(List.of("gone", "stays"), push(1));
            archive.append(List.of(upstream("gone", 1, NOW)));

            assertThat(devices.delete("gone")).isTrue();

            assertThat(devices.find("gone")).isEmpty();
            assertThat(offline.countPending("gone", NOW)).isZero();
            assertThat(offline.countPending("stays", NOW)).isEqualTo(1);
            assertThat(archive.latest("gone", GENERATION, 10)).as("the archive is an audit record")
                    .hasSize(1);
            assertThat(devices.delete("gone")).isFalse();
        }

        @Test
        void existingAnswersForThousandsOfIdsAcrossChunks() throws SQLException {
            List<String> registered = clientIds("dev-", 2_500);
            insertDevicesInOneBatch(registered);
            List<String> asked = new ArrayList<>(clientIds("dev-", 2_500));
            asked.addAll(clientIds("unknown-", 2_500));
            Collections.shuffle(asked, new java.util.Random(7));

            Set<String> found = devices.existing(asked);

            assertThat(found).hasSize(2_500).containsExactlyInAnyOrderElementsOf(registered);
            assertThat(devices.existing(List.of())).isEmpty();
            assertThat(devices.count()).isEqualTo(2_500);
        }

        /** Setup only: registering thousands of devices one by one would time the disk, not existing(). */
        private void insertDevicesInOneBatch(List<String> clientIds) throws SQLException {
            try (Connection connection = database.dataSource().getConnection();
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO device (client_id, secret_hash, created_at) VALUES (?, ?, ?)")) {
                connection.setAutoCommit(false);
                for (String clientId : clientIds) {
                    insert.setString(1, clientId);
                    insert.setString(2, SECRET_HASH);
                    insert.setLong(3, NOW);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            }
        }
    }

    @Nested
    class OfflineMessages {
        @Test
        void returnsStoredMessagesOldestFirstUpToTheLimit() {
            offline.store(List.of("dev"), push(30));
            offline.store(List.of("dev"), push(10));
            offline.store(List.of("dev"), push(20));
            offline.store(List.of("other"), push(5));

            assertThat(offline.pending("dev", NOW, 10)).containsExactly(push(10), push(20), push(30));
            assertThat(offline.pending("dev", NOW, 2)).containsExactly(push(10), push(20));
            assertThat(offline.pending("dev", NOW, 0)).isEmpty();
            assertThat(offline.pending("nobody", NOW, 10)).isEmpty();
        }

        @Test
        void expiredMessagesAreNeitherPendingNorCounted() {
            offline.store(List.of("dev"), push(1, NOW - 1));
            offline.store(List.of("dev"), push(2, NOW));
            offline.store(List.of("dev"), push(3, NOW + 1));

            assertThat(offline.pending("dev", NOW, 10)).as("a message expires at its expiry instant")
                    .containsExactly(push(3, NOW + 1));
            assertThat(offline.countPending("dev", NOW)).isEqualTo(1);
            assertThat(offline.countPending("dev", NOW - 10)).isEqualTo(3);
        }

        @Test
        void purgeDeletesOnlyExpiredMessagesOfAllDevices() throws SQLException {
            offline.store(List.of("a", "b"), push(1, NOW - HOUR));
            offline.store(List.of("a"), push(2, NOW));
            offline.store(List.of("a", "b"), push(3, NOW + HOUR));

            assertThat(offline.purgeExpired(NOW)).isEqualTo(3);

            assertThat(rowCount("offline_message")).isEqualTo(2);
            assertThat(offline.pending("a", NOW - 2 * HOUR, 10)).containsExactly(push(3, NOW + HOUR));
            assertThat(offline.purgeExpired(NOW)).isZero();
        }

        @Test
        void removesAnAckedMessageOnce() {
            offline.store(List.of("dev", "other"), push(1));
            offline.store(List.of("dev"), push(2));

            assertThat(offline.remove("dev", 1)).isTrue();
            assertThat(offline.remove("dev", 1)).isFalse();

            assertThat(offline.pending("dev", NOW, 10)).containsExactly(push(2));
            assertThat(offline.countPending("other", NOW)).isEqualTo(1);
        }

        @Test
        void storingAgainKeepsOneCopyPerDevice() throws SQLException {
            offline.store(List.of("a", "b", "a", "b"), push(1));
            offline.store(List.of("b", "c"), push(1));
            offline.store(List.of("a", "b", "c"), push(1));

            assertThat(rowCount("offline_message")).isEqualTo(3);
            assertThat(offline.pending("b", NOW, 10)).containsExactly(push(1));
        }

        @Test
        void keepsEveryFieldOfTheMessage() {
            PushMessage withoutTrace = new PushMessage(7, ContentType.VIDEO, Qos.AT_MOST_ONCE,
                    TestMessages.allByteValues(), null, NOW - 5, NOW + 5);
            PushMessage empty = new PushMessage(8, ContentType.TEXT, Qos.AT_LEAST_ONCE, new byte[0],
                    "t".repeat(64), NOW, NOW + 6);
            offline.store(List.of("dev"), withoutTrace);
            offline.store(List.of("dev"), empty);

            List<PushMessage> pending = offline.pending("dev", NOW, 10);

            assertThat(pending).containsExactly(withoutTrace, empty);
            assertThat(pending.get(0).traceId()).isNull();
            assertThat(pending.get(1).payload()).isEmpty();
        }

        @Test
        void payloadsUpToTheWireMaximumRoundTripExactly() {
            PushMessage oneMib = push(1, TestMessages.randomBytes(MIB, 1));
            // All zeros: the worst case for a driver that escapes binary data in SQL text.
            PushMessage wireMaximum = push(2, new byte[Wire.HARD_MAX_BODY_LENGTH]);
            offline.store(List.of("dev"), oneMib);
            offline.store(List.of("dev"), wireMaximum);

            List<PushMessage> pending = offline.pending("dev", NOW, 10);

            assertThat(pending).hasSize(2);
            assertThat(pending.get(0).payload()).isEqualTo(oneMib.payload());
            assertThat(pending.get(1).payload()).isEqualTo(wireMaximum.payload());
        }

        @Test
        void storesOneMessageForAHundredThousandDevicesInOneCall() throws SQLException {
            List<String> targets = clientIds("fleet-", 100_000);

            long started = System.nanoTime();
            offline.store(targets, push(1));
            long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(rowCount("offline_message")).isEqualTo(100_000);
            assertThat(offline.pending("fleet-0", NOW, 10)).containsExactly(push(1));
            assertThat(offline.countPending("fleet-99999", NOW)).isEqualTo(1);

            List<String> retried = new ArrayList<>(targets);
            retried.addAll(clientIds("late-", 10));
            started = System.nanoTime();
            offline.store(retried, push(1));
            long retryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(rowCount("offline_message")).isEqualTo(100_010);
            log.info("{}: stored a message for 100,000 devices in {} ms; storing it again for those plus 10 "
                    + "new ones took {} ms", databaseName(), firstMillis, retryMillis);
        }

        @Test
        void rejectsANegativeLimit() {
            assertThatThrownBy(() -> offline.pending("dev", NOW, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        }
    }

    /** What became of a QoS 1 message per device: stored, acked (with the ACK's delete), expired (by the purge). */
    @Nested
    class MessageOutcomes {
        private JdbcMessageStatuses statuses() {
            return new JdbcMessageStatuses(database, offline, Duration.ofHours(1));
        }

        @Test
        void storedCopiesThenAnAckRecordedInTheGroupCommitThatDeletesIt() {
            try (GroupCommitOfflineStore grouped = new GroupCommitOfflineStore(database)) {
                grouped.store(List.of("b", "a"), push(41));

                assertThat(statuses().of(41, 10)).extracting(MessageStatuses.DeliveryStatus::clientId,
                        MessageStatuses.DeliveryStatus::state).containsExactly(
                        tuple("a", MessageStatuses.State.STORED),
                        tuple("b", MessageStatuses.State.STORED));

                long before = System.currentTimeMillis();
                grouped.removeSoon("a", 41).join();

                List<MessageStatuses.DeliveryStatus> after = statuses().of(41, 10);
                assertThat(after).extracting(MessageStatuses.DeliveryStatus::clientId,
                        MessageStatuses.DeliveryStatus::state).containsExactly(
                        tuple("b", MessageStatuses.State.STORED),
                        tuple("a", MessageStatuses.State.ACKED));
                assertThat(after.get(1).atMillis()).isBetween(before, System.currentTimeMillis());
                assertThat(grouped.holders(41, 10)).containsExactly("b");
            }
        }

        @Test
        void expiredCopiesAreRecordedToldAndALateAckDoesNotTurnThemIntoAcked() {
            offline.store(List.of("a", "b"), push(42, NOW - 1));
            offline.store(List.of("a"), push(43, NOW + HOUR));
            List<String> told = new ArrayList<>();

            int purged = offline.purgeExpired(NOW, (clientId, messageId) -> told.add(clientId + "/" + messageId));

            assertThat(purged).isEqualTo(2);
            assertThat(told).containsExactlyInAnyOrder("a/42", "b/42");
            assertThat(statuses().of(42, 10)).extracting(MessageStatuses.DeliveryStatus::state)
                    .containsOnly(MessageStatuses.State.EXPIRED);
            assertThat(statuses().of(42, 10).get(0).atMillis()).isEqualTo(NOW);
            offline.removeSoon("a", 42).join(); // the device acks what it got just before the expiry
            assertThat(statuses().of(42, 10).get(0).state()).isEqualTo(MessageStatuses.State.EXPIRED);
            assertThat(statuses().of(43, 10)).extracting(MessageStatuses.DeliveryStatus::state)
                    .containsExactly(MessageStatuses.State.STORED);
        }

        @Test
        void anExpiryOfMoreCopiesThanAChunkIsPurgedWhole() throws SQLException {
            List<String> fleet = clientIds("fleet-", Batching.CHUNK_SIZE + 250);
            offline.store(fleet, push(44, NOW - 1));
            List<String> told = new ArrayList<>();

            assertThat(offline.purgeExpired(NOW, (clientId, messageId) -> told.add(clientId))).isEqualTo(fleet.size());

            assertThat(told).containsExactlyInAnyOrderElementsOf(fleet);
            assertThat(rowCount("offline_message")).isZero();
            assertThat(rowCount("message_outcome")).isEqualTo(fleet.size());
            assertThat(statuses().of(44, 10)).hasSize(10);
        }

        @Test
        void anUnknownMessageHasNoStatusAndOutcomesGoAfterTheRetention() {
            assertThat(statuses().of(999, 10)).isEmpty();
            offline.store(List.of("a"), push(45, NOW - 1));
            offline.purgeExpired(NOW);

            assertThat(statuses().purgeOlderThanRetention(NOW + HOUR - 1)).isZero();
            assertThat(statuses().purgeOlderThanRetention(NOW + HOUR)).isEqualTo(1);
            assertThat(statuses().of(45, 10)).isEmpty();
        }
    }

    @Nested
    class Archive {
        @Test
        void appendCountsOnlyNewMessages() throws SQLException {
            UpstreamMessage first = upstream("dev", 1, NOW);
            UpstreamMessage second = upstream("dev", 2, NOW);
            UpstreamMessage third = upstream("dev", 3, NOW);

            assertThat(archive.append(List.of(first, second))).isEqualTo(2);
            assertThat(archive.append(List.of(second, third, third))).isEqualTo(1);
            assertThat(archive.append(List.of(first, second, third))).isZero();
            assertThat(archive.append(List.of())).isZero();

            assertThat(rowCount("upstream_message")).isEqualTo(3);
        }

        @Test
        void aResendKeepsTheFirstCopy() {
            UpstreamMessage original = upstream("dev", 1, NOW);
            UpstreamMessage resent = upstream("dev", 1, NOW + 500);

            archive.append(List.of(original));
            assertThat(archive.append(List.of(resent))).isZero();

            assertThat(archive.latest("dev", GENERATION, 10)).containsExactly(original);
        }

        @Test
        void latestIsNewestFirstByReceiptThenMessageId() {
            archive.append(List.of(
                    upstream("dev", 1, NOW + 300),
                    upstream("dev", 2, NOW + 100),
                    upstream("dev", 3, NOW + 200),
                    upstream("dev", 4, NOW + 200),
                    upstream("other", 9, NOW + 900)));

            assertThat(archive.latest("dev", GENERATION, 10)).extracting(UpstreamMessage::messageId)
                    .containsExactly(1L, 4L, 3L, 2L);
            assertThat(archive.latest("dev", GENERATION, 2))
                    .containsExactly(upstream("dev", 1, NOW + 300), upstream("dev", 4, NOW + 200));
            assertThat(archive.latest("dev", GENERATION, 0)).isEmpty();
            assertThat(archive.latest("nobody", GENERATION, 10)).isEmpty();
        }

        @Test
        void latestListsOnlyTheGivenRegistrationGeneration() {
            UpstreamMessage ofNewOwner = new UpstreamMessage("dev", GENERATION + 1, 3, ContentType.TEXT, new byte[] {3},
                    null, NOW, NOW + 500);
            archive.append(List.of(upstream("dev", 1, NOW), upstream("dev", 2, NOW + 100), ofNewOwner));

            assertThat(archive.latest("dev", GENERATION, 10)).extracting(UpstreamMessage::messageId)
                    .containsExactly(2L, 1L);
            assertThat(archive.latest("dev", GENERATION + 1, 10)).containsExactly(ofNewOwner);
            assertThat(archive.latest("dev", GENERATION + 2, 10)).isEmpty();
        }

        @Test
        void keepsEveryFieldAndLargePayloadsExactly() {
            UpstreamMessage bytes = new UpstreamMessage("cam", GENERATION, 1, ContentType.AUDIO,
                    TestMessages.allByteValues(), null, NOW - 7, NOW);
            UpstreamMessage oneMib = upstream("cam", 2, TestMessages.randomBytes(MIB, 2));
            UpstreamMessage empty = new UpstreamMessage("cam", GENERATION, 3, ContentType.JSON, new byte[0], "trace",
                    NOW - 1, NOW - 1);

            assertThat(archive.append(List.of(bytes, oneMib, empty))).isEqualTo(3);

            assertThat(archive.latest("cam", GENERATION, 10)).containsExactly(oneMib, bytes, empty);
        }

        @Test
        void appendsMoreThanOneJdbcBatchInOneCall() throws SQLException {
            List<UpstreamMessage> messages = IntStream.range(0, 2_500)
                    .mapToObj(i -> upstream("dev-" + (i % 7), i, NOW + i)).collect(Collectors.toList());
            archive.append(messages.subList(1_000, 1_100));

            assertThat(archive.append(messages)).isEqualTo(2_400);
            assertThat(rowCount("upstream_message")).isEqualTo(2_500);
        }

        @Test
        void concurrentAppendsOfTheSameMessagesStoreEachOnce() throws Exception {
            List<UpstreamMessage> messages = IntStream.range(0, 2_000)
                    .mapToObj(i -> upstream("dev-" + (i % 3), i, NOW + i)).collect(Collectors.toList());
            int writers = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    Callable<Integer> append = () -> {
                        start.await();
                        return archive.append(messages);
                    };
                    results.add(pool.submit(append));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> result : results) {
                    total += result.get(60, TimeUnit.SECONDS);
                }

                assertThat(total).as("new rows reported over all writers").isEqualTo(2_000);
                assertThat(rowCount("upstream_message")).isEqualTo(2_000);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The idempotent insert's slow paths, which a well-behaved caller reaches only under races. */
    /** The archive's retention: old messages go in small batches, oldest first; newer ones stay. */
    @Nested
    class Retention {
        private static final long DAY = 24 * HOUR;

        @Test
        void deletesUpToTheLimitOfMessagesReceivedBeforeTheCutoffOldestFirst() {
            archive.append(List.of(upstream("a", 1, NOW - 3 * DAY), upstream("b", 2, NOW - 2 * DAY),
                    upstream("a", 3, NOW - DAY), upstream("a", 4, NOW), upstream("b", 5, NOW + DAY)));

            assertThat(archive.deleteReceivedBefore(NOW, 2)).isEqualTo(2);
            assertThat(archive.latest("a", TestMessages.GENERATION, 10)).extracting(UpstreamMessage::messageId).containsExactly(4L, 3L);
            assertThat(archive.latest("b", TestMessages.GENERATION, 10)).extracting(UpstreamMessage::messageId).containsExactly(5L);

            assertThat(archive.deleteReceivedBefore(NOW, 2)).as("one left before the cutoff").isEqualTo(1);
            assertThat(archive.deleteReceivedBefore(NOW, 2)).isZero();
            assertThat(archive.latest("a", TestMessages.GENERATION, 10)).extracting(UpstreamMessage::messageId).containsExactly(4L);
        }

        @Test
        void aPassDeletesEveryMessageOlderThanTheRetentionInBatchesAndKeepsTheRest() throws Exception {
            int old = ArchiveRetention.BATCH_SIZE * 2 + 500; // three batches
            List<UpstreamMessage> messages = new ArrayList<>();
            for (int i = 0; i < old; i++) {
                messages.add(upstream("device-" + (i % 7), i, NOW - 40 * DAY + i));
            }
            for (int i = 0; i < 20; i++) {
                messages.add(upstream("device-" + (i % 7), 100_000 + i, NOW - 29 * DAY));
            }
            archive.append(messages);
            ArchiveRetention retention = new ArchiveRetention(archive, Duration.ofDays(30),
                    Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

            assertThat(retention.pass()).isEqualTo(old);
            assertThat(rowCount(JdbcUpstreamArchive.TABLE)).isEqualTo(20);
            assertThat(retention.pass()).as("nothing left to delete").isZero();
        }

        @Test
        void aNegativeRetentionIsRefusedAndZeroKeepsEverything() {
            assertThatThrownBy(() -> ArchiveRetention.requireValid(Duration.ofDays(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 (keep forever)");
            archive.append(List.of(upstream("a", 1, 0)));
            ArchiveRetention.start(archive, Duration.ZERO, Clock.systemUTC()).close();
            assertThat(archive.latest("a", TestMessages.GENERATION, 10)).hasSize(1);
        }
    }

    /**
     * A QoS 1 push is answered 202 and an upstream message ACK OK once the store call returned: by then it must be
     * committed. The writes go through a pool of their own that is then closed, which rolls back whatever was not
     * committed, as the database does with the connections of a node killed with SIGKILL; another pool then finds
     * every row. (For the file itself, on H2, see H2FileStoreTest.)
     */
    @Nested
    class Durability {
        @Test
        void whatStoreAndAppendReturnedFromIsCommittedWhenTheirPoolDies() {
            List<String> targets = clientIds("durable-", 300); // more than one chunk: every chunk is committed
            try (Database writer = Database.open(testDatabase.settings())) {
                new JdbcOfflineStore(writer).store(targets, push(11));
                new JdbcUpstreamArchive(writer).append(List.of(upstream("durable-0", 1, NOW),
                        upstream("durable-1", 2, NOW)));
            }
            assertThat(targets).allSatisfy(clientId ->
                    assertThat(offline.pending(clientId, NOW, 10)).containsExactly(push(11)));
            assertThat(archive.latest("durable-1", TestMessages.GENERATION, 10)).containsExactly(upstream("durable-1", 2, NOW));
        }
    }

    @Nested
    class DuplicateHandling {
        private static final String INSERT = "INSERT INTO upstream_message"
                + " (client_id, message_id, content_type, trace_id, payload, sent_at, received_at, generation)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

        @Test
        void skipsStoredKeysAndRepeatsWithinTheChunkRowByRow() throws SQLException {
            archive.append(List.of(upstream("dev", 2, NOW)));
            IdempotentInsert<UpstreamMessage> insert = new IdempotentInsert<>(database.dialect(),
                    "upstream_message", INSERT, m -> new MessageKey(m.clientId(), m.messageId()),
                    (statement, m) -> {
                        statement.setString(1, m.clientId());
                        statement.setLong(2, m.messageId());
                        statement.setInt(3, m.contentType().code());
                        statement.setString(4, m.traceId());
                        statement.setBytes(5, m.payload());
                        statement.setLong(6, m.sentAt());
                        statement.setLong(7, m.receivedAt());
                        statement.setLong(8, m.generation());
                    });
            // Already stored (2), and repeated within the chunk (1): the batch fails, then the batch of unstored
            // rows fails again, and only the row-by-row path can store 1 and 3.
            List<UpstreamMessage> chunk = List.of(upstream("dev", 1, NOW), upstream("dev", 2, NOW),
                    upstream("dev", 1, NOW + 1), upstream("dev", 3, NOW));

            int inserted = Transactions.inTransaction(database.dataSource(), c -> insert.insert(c, chunk));

            assertThat(inserted).isEqualTo(2);
            assertThat(archive.latest("dev", GENERATION, 10)).extracting(UpstreamMessage::messageId)
                    .containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(archive.latest("dev", GENERATION, 10)).contains(upstream("dev", 1, NOW));
        }

        @Test
        void otherIntegrityViolationsAreNotMistakenForDuplicates() {
            IdempotentInsert<String> insert = new IdempotentInsert<>(database.dialect(), "offline_message",
                    "INSERT INTO offline_message (client_id, message_id, content_type, qos, trace_id, payload,"
                            + " created_at, expires_at) VALUES (?, 1, 1, 1, NULL, NULL, 0, 0)",
                    id -> new MessageKey(id, 1), (statement, id) -> statement.setString(1, id));

            assertThatThrownBy(() -> Transactions.inTransaction(database.dataSource(),
                    c -> insert.insert(c, List.of("dev"))))
                    .as("a NULL payload violates NOT NULL").isInstanceOf(SQLException.class);
        }
    }
}
