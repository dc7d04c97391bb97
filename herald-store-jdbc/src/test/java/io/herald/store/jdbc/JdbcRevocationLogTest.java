package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.security.Revocation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revocation list table: kept across a reopen, entries only grow, expired ones are purged. */
class JdbcRevocationLogTest {
    @TempDir
    Path dataDir;

    @Test
    void entriesSurviveAReopenNeverShrinkAndArePurgedOnceExpired() {
        try (Database database = Database.open(JdbcSettings.h2File(dataDir))) {
            JdbcRevocationLog log = new JdbcRevocationLog(database);
            log.record(Revocation.client("dev-1", 2_000, 10_000));
            log.record(Revocation.client("dev-1", 1_000, 5_000)); // written late by a concurrent revocation
            log.record(Revocation.token("tok-1", 3_000));
            log.record(Revocation.client("dev-2", 2_000, 1_000));
        }
        try (Database reopened = Database.open(JdbcSettings.h2File(dataDir))) {
            JdbcRevocationLog log = new JdbcRevocationLog(reopened);

            assertThat(log.load(1_000)).containsExactlyInAnyOrder(Revocation.client("dev-1", 2_000, 10_000),
                    Revocation.token("tok-1", 3_000));
            assertThat(log.purgeExpired(3_000)).isEqualTo(2);
            assertThat(log.load(0)).containsExactly(Revocation.client("dev-1", 2_000, 10_000));
        }
    }
}
