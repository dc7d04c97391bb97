package io.herald.store.jdbc;

import io.herald.core.store.MessageStatuses;
import io.herald.core.store.OfflineStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A message's state per device: the devices the offline store still holds it for (stored), then the outcomes the
 * stores recorded when they deleted copies ({@link MessageOutcomeTable}: acked, expired), with those the store
 * holds in memory before they reach the table ({@link UnsavedOutcomes}: the in-flight log's ACKs). Outcomes are
 * kept for {@code retention}; {@link #purgeOlderThanRetention} drops older ones (the node's housekeeping calls it).
 */
public final class JdbcMessageStatuses implements MessageStatuses {
    /** How long acked and expired outcomes are answered by default. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    private final DataSource dataSource;
    private final OfflineStore offline;
    private final UnsavedOutcomes unsaved;
    private final Duration retention;

    /** @param offline the node's offline store, whose copies are the "stored" ones (the in-flight log's too) */
    public JdbcMessageStatuses(Database database, OfflineStore offline, Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the message status retention must be positive, was " + retention);
        }
        this.dataSource = database.dataSource();
        this.offline = offline;
        this.unsaved = offline instanceof UnsavedOutcomes held ? held : (messageId, limit) -> List.of();
        this.retention = retention;
    }

    /**
     * Read in the order a copy moves (a store deletes a copy with its outcome recorded, in one transaction or under
     * one lock; a memory outcome reaches the table before it leaves memory), so a copy acked meanwhile shows as
     * stored or acked, never as missing: holders first, then memory, then the table. A device found twice answers
     * with the first place; the table's outcome wins over memory's, being the first one recorded.
     */
    @Override
    public List<DeliveryStatus> of(long messageId, int limit) {
        List<DeliveryStatus> statuses = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String clientId : offline.holders(messageId, limit)) {
            statuses.add(new DeliveryStatus(clientId, State.STORED, 0));
            seen.add(clientId);
        }
        TreeMap<String, DeliveryStatus> outcomes = new TreeMap<>();
        unsaved.outcomesNotInTable(messageId, limit).forEach(outcome -> outcomes.put(outcome.clientId(), outcome));
        tableOutcomes(messageId, limit).forEach(outcome -> outcomes.put(outcome.clientId(), outcome));
        for (DeliveryStatus outcome : outcomes.values()) {
            if (statuses.size() >= limit) {
                break;
            }
            if (!seen.contains(outcome.clientId())) {
                statuses.add(outcome);
            }
        }
        return statuses;
    }

    private List<DeliveryStatus> tableOutcomes(long messageId, int limit) {
        List<DeliveryStatus> outcomes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(MessageOutcomeTable.SELECT)) {
            select.setLong(1, messageId);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(new DeliveryStatus(rows.getString(1), MessageOutcomeTable.state(rows.getInt(2)),
                            rows.getLong(3)));
                }
            }
            return outcomes;
        } catch (SQLException e) {
            throw new StoreException("Could not read the outcomes of message " + messageId, e);
        }
    }

    /** Deletes outcomes recorded longer than the retention ago; returns how many. */
    public int purgeOlderThanRetention(long nowMillis) {
        return ExpiredRows.delete(dataSource, MessageOutcomeTable.TABLE, "recorded_at", nowMillis - retention.toMillis(),
                "message outcomes");
    }
}
