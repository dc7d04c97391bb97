package io.herald.store.jdbc;

/** The store contract on a private in-memory H2 database. */
class H2InMemoryStoreTest extends StoreContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabase.h2InMemory();
    }
}
