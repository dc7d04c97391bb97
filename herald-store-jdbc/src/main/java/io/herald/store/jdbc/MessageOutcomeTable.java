package io.herald.store.jdbc;

import io.herald.core.store.MessageStatuses.State;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@code message_outcome} table (migration V16): acked and expired QoS 1 copies, written by the offline stores
 * in the transaction that deletes the copies (the in-flight log's ACKs: in bulk from its tombstones, by
 * {@link InflightHandOff}), read by {@link JdbcMessageStatuses}. Inserting an outcome a copy
 * already has keeps the first one (an ACK arriving after the copy expired does not turn it into "acked").
 */
final class MessageOutcomeTable {
    static final String TABLE = "message_outcome";
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (message_id, client_id, outcome, recorded_at) VALUES (?, ?, ?, ?)";
    static final String SELECT = "SELECT client_id, outcome, recorded_at FROM " + TABLE
            + " WHERE message_id = ? ORDER BY client_id LIMIT ?";

    static final int ACKED = 1;
    static final int EXPIRED = 2;

    /** One copy's outcome. */
    record Outcome(String clientId, long messageId, int code, long recordedAt) {
    }

    private MessageOutcomeTable() {
    }

    /** Inserts the outcomes not recorded yet, in the caller's transaction (auto-commit off). */
    static void insert(Connection connection, SqlDialect dialect, List<Outcome> outcomes) throws SQLException {
        for (List<Outcome> chunk : Batching.chunks(outcomes, Batching.CHUNK_SIZE)) {
            new IdempotentInsert<Outcome>(dialect, TABLE, INSERT,
                    outcome -> new MessageKey(outcome.clientId(), outcome.messageId()), (statement, outcome) -> {
                        statement.setLong(1, outcome.messageId());
                        statement.setString(2, outcome.clientId());
                        statement.setInt(3, outcome.code());
                        statement.setLong(4, outcome.recordedAt());
                    }).insert(connection, chunk);
        }
    }

    static State state(int code) {
        return switch (code) {
            case ACKED -> State.ACKED;
            case EXPIRED -> State.EXPIRED;
            default -> throw new StoreException("unknown message outcome code " + code + " in " + TABLE);
        };
    }
}
