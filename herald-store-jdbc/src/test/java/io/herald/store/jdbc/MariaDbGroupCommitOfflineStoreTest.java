package io.herald.store.jdbc;

/** The group commit on a fresh database on the MariaDB server of {@code herald.test.mariadb.*}. */
class MariaDbGroupCommitOfflineStoreTest extends GroupCommitOfflineStoreContract {
    @Override
    TestDatabase createDatabase() {
        return ServerTestDatabase.mariaDb();
    }
}
