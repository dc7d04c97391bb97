package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Opening and closing, where no running database server is needed. */
class DatabaseTest {

    @Test
    void anUnreachableServerFailsFastWithTheUrlButNotThePassword() {
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        JdbcSettings settings = JdbcSettings.of(
                "jdbc:postgresql://127.0.0.1:1/herald?password=url-secret", "herald", "secret");

        assertThatThrownBy(() -> Database.open(settings))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot connect to jdbc:postgresql://127.0.0.1:1/herald?password=***")
                .hasMessageContaining("as 'herald'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("url-secret"));
    }

    @Test
    void isUnhealthyOnceClosedAndClosesOnlyOnce() {
        Database database = Database.open(JdbcSettings.h2InMemory(TestDatabase.uniqueName()));
        assertThat(database.isHealthy()).isTrue();
        assertThat(database.migrationsApplied()).isEqualTo(7);

        database.close();
        database.close();

        assertThat(database.isHealthy()).isFalse();
    }
}
