package io.herald.store.jdbc;

/** The group commit on a fresh database on the PostgreSQL server of {@code herald.test.postgres.*}. */
class PostgresGroupCommitOfflineStoreTest extends GroupCommitOfflineStoreContract {
    @Override
    TestDatabase createDatabase() {
        return ServerTestDatabase.postgres();
    }
}
