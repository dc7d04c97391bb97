package io.herald.store.jdbc;

import java.nio.file.Path;
import java.util.UUID;

/** A database created for one test class, and removed by {@link #close()}. */
interface TestDatabase extends AutoCloseable {

    /** For test names and log lines: "PostgreSQL", "H2 file", ... */
    String name();

    JdbcSettings settings();

    /** Drops the database, if it outlives its connection pool. */
    @Override
    void close();

    /** A fresh, unique name: tests running in parallel (or a left-over from a killed run) never collide. */
    static String uniqueName() {
        return "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A private in-memory H2 database; it vanishes with the pool, so there is nothing to drop. */
    static TestDatabase h2InMemory() {
        return simple("H2 in-memory", JdbcSettings.h2InMemory(uniqueName()));
    }

    /** An H2 file database in {@code dataDir}, which the test framework deletes. */
    static TestDatabase h2File(Path dataDir) {
        return simple("H2 file", JdbcSettings.h2File(dataDir));
    }

    private static TestDatabase simple(String name, JdbcSettings settings) {
        return new TestDatabase() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JdbcSettings settings() {
                return settings;
            }

            @Override
            public void close() {
            }
        };
    }
}
