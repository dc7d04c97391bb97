-- QoS 1 outcomes (io.herald.store.jdbc.MessageOutcomeTable): what became of a message at a device once its
-- offline_message row is gone, for GET /api/v1/messages/{id}. One row per message and device, written in the same
-- transaction as the ACK's delete (outcome 1, acked) or the expiry purge's (2, expired); the first outcome stays.
-- Keyed by message id first: the status read is one range scan of the key. Rows older than
-- --message-status-retention are purged by recorded_at (epoch ms).
CREATE TABLE message_outcome (
    message_id  BIGINT          NOT NULL,
    client_id   ${clientIdType} NOT NULL,
    outcome     SMALLINT        NOT NULL,
    recorded_at BIGINT          NOT NULL,
    PRIMARY KEY (message_id, client_id)
)${tableOptions};
CREATE INDEX message_outcome_recorded_idx ON message_outcome (recorded_at);

-- "Which devices still hold message N" (stored, in flight) for the same read; also serves the start-up's
-- highest-message-id query, which scanned the table before.
CREATE INDEX offline_message_message_idx ON offline_message (message_id, client_id);
