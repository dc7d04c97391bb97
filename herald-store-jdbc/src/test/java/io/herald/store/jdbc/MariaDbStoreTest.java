package io.herald.store.jdbc;

/** The store contract on a fresh database on the MariaDB server of {@code herald.test.mariadb.*}. */
class MariaDbStoreTest extends StoreContractTest {
    @Override
    TestDatabase createDatabase() {
        return ServerTestDatabase.mariaDb();
    }
}
