package io.herald.store.jdbc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The size of the offline store as a gauge, {@code herald_offline_store_messages}: the rows of the offline table,
 * counted by {@link #refresh()} on the caller's schedule rather than on each scrape (a count over millions of rows
 * takes a while, and several Prometheus servers may scrape). Not a number until the first count.
 */
public final class OfflineStoreSize {
    public static final String NAME = "herald.offline.store.messages";
    /**
     * Often enough for a store's size (it changes over minutes), rarely enough that counting a table of millions of
     * rows on every API node stays a small load on the database.
     */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(OfflineStoreSize.class);

    private final JdbcOfflineStore table;
    private volatile double messages = Double.NaN;

    public OfflineStoreSize(Database database, MeterRegistry registry) {
        this.table = new JdbcOfflineStore(database);
        Gauge.builder(NAME, this, size -> size.messages).baseUnit("messages")
                .description("QoS 1 messages in the database's offline store, expired ones not purged yet included"
                        + " (a cluster's nodes share one database: take the max over nodes, not the sum)")
                .register(registry);
    }

    /** Counts again; a failure leaves the last count and is logged (the database's health check reports it). */
    public void refresh() {
        try {
            messages = table.countAll();
        } catch (StoreException e) {
            log.debug("could not count the offline store: {}", e.getMessage());
        }
    }
}
