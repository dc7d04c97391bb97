package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database's figures: HikariCP's pool meters, and the offline store's size as a gauge counted on refresh. */
class StoreMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void thePoolReportsItsConnectionsAndTheOfflineStoreItsRows() {
        try (Database database = Database.open(JdbcSettings.h2InMemory(TestDatabase.uniqueName()), registry)) {
            OfflineStoreSize size = new OfflineStoreSize(database, registry);
            assertThat(offlineMessages()).as("not counted yet").isNaN();

            JdbcOfflineStore store = new JdbcOfflineStore(database);
            store.store(List.of("device-1", "device-2"), TestMessages.push(1));
            store.store(List.of("device-1"), TestMessages.push(2));
            size.refresh();
            assertThat(offlineMessages()).isEqualTo(3);

            store.remove("device-1", 1);
            size.refresh();
            assertThat(offlineMessages()).isEqualTo(2);

            assertThat(registry.get("hikaricp.connections.max").tag("pool", "herald-jdbc").gauge().value())
                    .isPositive();
            assertThat(registry.get("hikaricp.connections.acquire").timer().count()).isPositive();
        }
    }

    private double offlineMessages() {
        return registry.get(OfflineStoreSize.NAME).gauge().value();
    }
}
