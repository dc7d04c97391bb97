package io.herald.store.jdbc;

import static io.herald.store.jdbc.TestMessages.NOW;
import static io.herald.store.jdbc.TestMessages.push;
import static io.herald.store.jdbc.TestMessages.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.Device;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an embedded H2 file database, plus what only a file database promises: persistence. */
class H2FileStoreTest extends StoreContractTest {
    @TempDir
    static Path dataDir;

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.h2File(dataDir.resolve("contract"));
    }

    @Test
    void keepsEverythingAcrossCloseAndReopen() {
        JdbcSettings settings = JdbcSettings.h2File(dataDir.resolve("reopen"));
        Device device = new Device("persistent", "hash", Instant.ofEpochMilli(NOW), TestMessages.GENERATION);
        try (Database first = Database.open(settings)) {
            assertThat(first.migrationsApplied()).isEqualTo(7);
            new JdbcDeviceStore(first).insert(device);
            new JdbcOfflineStore(first).store(List.of("persistent"), push(1));
            new JdbcUpstreamArchive(first).append(List.of(upstream("persistent", 1, NOW)));
        }
        assertThat(dataDir.resolve("reopen").resolve(JdbcSettings.DEFAULT_H2_FILE_NAME + ".mv.db"))
                .satisfies(file -> assertThat(Files.size(file)).isPositive());

        try (Database reopened = Database.open(settings)) {
            assertThat(reopened.migrationsApplied()).isZero();
            assertThat(new JdbcDeviceStore(reopened).find("persistent")).contains(device);
            assertThat(new JdbcOfflineStore(reopened).pending("persistent", NOW, 10)).containsExactly(push(1));
            assertThat(new JdbcUpstreamArchive(reopened).latest("persistent", TestMessages.GENERATION, 10))
                    .containsExactly(upstream("persistent", 1, NOW));
        }
    }

    /**
     * A store or append call returns with its rows on disk, not only in H2's memory (which a background thread
     * writes out some 500 ms later): a copy of the database file (and, for upstream messages, of the archive's
     * journal, {@link UpstreamJournal}) taken right after the call, opened as a database of its own, holds them.
     * That is what survives a SIGKILL of the process at that moment.
     */
    @Test
    void storedAndArchivedRowsAreInTheFileWhenTheCallReturns() throws Exception {
        Path live = dataDir.resolve("live");
        Path copy = dataDir.resolve("copy");
        Files.createDirectories(copy);
        String file = JdbcSettings.DEFAULT_H2_FILE_NAME + ".mv.db";
        try (Database database = Database.open(JdbcSettings.h2File(live))) {
            new JdbcOfflineStore(database).store(List.of("a", "b"), push(7));
            new JdbcUpstreamArchive(database).append(List.of(upstream("a", 3, NOW), upstream("b", 4, NOW)));
            Files.copy(live.resolve(file), copy.resolve(file));
            try (DirectoryStream<Path> journal = Files.newDirectoryStream(live, "*.journal")) {
                for (Path segment : journal) {
                    Files.copy(segment, copy.resolve(segment.getFileName()));
                }
            }
        }
        try (Database snapshot = Database.open(JdbcSettings.h2File(copy))) {
            JdbcOfflineStore offline = new JdbcOfflineStore(snapshot);
            assertThat(offline.pending("a", NOW, 10)).containsExactly(push(7));
            assertThat(offline.pending("b", NOW, 10)).containsExactly(push(7));
            assertThat(new JdbcUpstreamArchive(snapshot).latest("b", TestMessages.GENERATION, 10))
                    .containsExactly(upstream("b", 4, NOW));
        }
    }

    /**
     * The same for the grouped writes of {@link GroupCommitOfflineStore#storeDurably} (what a push answered 202
     * relies on), with ACK deletes of other rows in between: once every stage has completed, a copy of the file
     * holds every stored row and none of the removed ones, whichever group each went in.
     */
    @Test
    void groupCommittedRowsAreInTheFileWhenTheirStageCompletes() throws Exception {
        Path live = dataDir.resolve("groups-live");
        Path copy = dataDir.resolve("groups-copy");
        Files.createDirectories(copy);
        String file = JdbcSettings.DEFAULT_H2_FILE_NAME + ".mv.db";
        try (Database database = Database.open(JdbcSettings.h2File(live));
             GroupCommitOfflineStore offline = new GroupCommitOfflineStore(database)) {
            offline.store(List.of("acked"), push(1));
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int id = 1; id <= 200; id++) {
                writes.add(offline.storeDurably(List.of("dev-" + id), push(id)));
                if (id == 100) {
                    writes.add(offline.removeSoon("acked", 1));
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            Files.copy(live.resolve(file), copy.resolve(file));
        }
        try (Database snapshot = Database.open(JdbcSettings.h2File(copy))) {
            JdbcOfflineStore offline = new JdbcOfflineStore(snapshot);
            for (int id = 1; id <= 200; id++) {
                assertThat(offline.pending("dev-" + id, NOW, 10)).as("dev-" + id).containsExactly(push(id));
            }
            assertThat(offline.pending("acked", NOW, 10)).isEmpty();
        }
    }

    /** A registration answered 201 and a delete answered 204 are in the file too: a deleted device never returns. */
    @Test
    void registeredAndDeletedDevicesAreInTheFileWhenTheCallReturns() throws Exception {
        Path live = dataDir.resolve("devices-live");
        String file = JdbcSettings.DEFAULT_H2_FILE_NAME + ".mv.db";
        try (Database database = Database.open(JdbcSettings.h2File(live))) {
            JdbcDeviceStore devices = new JdbcDeviceStore(database);
            devices.insert(new Device("kept", "hash", Instant.ofEpochMilli(NOW), TestMessages.GENERATION));
            devices.insert(new Device("gone", "hash", Instant.ofEpochMilli(NOW), TestMessages.GENERATION));
            Path afterInsert = Files.createDirectories(dataDir.resolve("devices-after-insert"));
            Files.copy(live.resolve(file), afterInsert.resolve(file));
            devices.delete("gone");
            Path afterDelete = Files.createDirectories(dataDir.resolve("devices-after-delete"));
            Files.copy(live.resolve(file), afterDelete.resolve(file));
        }
        try (Database snapshot = Database.open(JdbcSettings.h2File(dataDir.resolve("devices-after-insert")))) {
            JdbcDeviceStore devices = new JdbcDeviceStore(snapshot);
            assertThat(devices.find("kept")).isPresent();
            assertThat(devices.find("gone")).isPresent();
        }
        try (Database snapshot = Database.open(JdbcSettings.h2File(dataDir.resolve("devices-after-delete")))) {
            JdbcDeviceStore devices = new JdbcDeviceStore(snapshot);
            assertThat(devices.find("kept")).isPresent();
            assertThat(devices.find("gone")).isEmpty();
        }
    }

    @Test
    void aNewDataDirectoryIsPrivateToTheAccountWhateverTheUmask() throws Exception {
        Path directory = dataDir.resolve("fresh").resolve("data");
        try (Database ignored = Database.open(JdbcSettings.h2File(directory))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    directory.resolve(JdbcSettings.DEFAULT_H2_FILE_NAME + ".mv.db")))).isEqualTo("rw-------");
        }
    }

    /** An installation made before: its open directory is narrowed and its readable files made private. */
    @Test
    void anExistingWideDataDirectoryAndItsFilesAreNarrowed() throws Exception {
        Path directory = dataDir.resolve("wide");
        Path file = directory.resolve(JdbcSettings.DEFAULT_H2_FILE_NAME + ".mv.db");
        try (Database ignored = Database.open(JdbcSettings.h2File(directory))) {
            // created
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        try (Database reopened = Database.open(JdbcSettings.h2File(directory))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }
}
