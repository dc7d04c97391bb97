package io.herald.store.jdbc;

/** The store contract on a fresh database on the PostgreSQL server of {@code herald.test.postgres.*}. */
class PostgresStoreTest extends StoreContractTest {
    @Override
    TestDatabase createDatabase() {
        return ServerTestDatabase.postgres();
    }
}
