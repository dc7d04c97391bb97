-- Herald schema, version 1. One script for H2, MariaDB/MySQL and PostgreSQL: only standard SQL, with the few
-- type differences filled in by Flyway placeholders from io.herald.store.jdbc.SqlDialect:
--   clientIdType  case-sensitive VARCHAR(128) (MariaDB needs a binary ASCII collation for that)
--   payloadType   a binary column holding at least the 8 MiB wire maximum
--   tableOptions  MariaDB: the InnoDB engine; empty elsewhere
-- Times are BIGINT epoch milliseconds: no time-zone or precision differences between the databases.

-- Registered devices. The secret is kept only as a salted hash.
CREATE TABLE device (
    client_id   ${clientIdType} NOT NULL,
    secret_hash VARCHAR(255)    NOT NULL,
    created_at  BIGINT          NOT NULL,
    PRIMARY KEY (client_id)
)${tableOptions};

-- QoS 1 messages waiting for offline devices. One row per target device: the key makes a re-store a no-op,
-- and pending() reads a device's messages oldest first straight from it.
CREATE TABLE offline_message (
    client_id    ${clientIdType} NOT NULL,
    message_id   BIGINT          NOT NULL,
    content_type SMALLINT        NOT NULL,
    qos          SMALLINT        NOT NULL,
    trace_id     VARCHAR(64),
    payload      ${payloadType}  NOT NULL,
    created_at   BIGINT          NOT NULL,
    expires_at   BIGINT          NOT NULL,
    PRIMARY KEY (client_id, message_id)
)${tableOptions};

-- purgeExpired() deletes by expiry across all devices.
CREATE INDEX offline_message_expiry_idx ON offline_message (expires_at);

-- Messages devices sent up. The key makes a device's resend after a reconnect a no-op.
CREATE TABLE upstream_message (
    client_id    ${clientIdType} NOT NULL,
    message_id   BIGINT          NOT NULL,
    content_type SMALLINT        NOT NULL,
    trace_id     VARCHAR(64),
    payload      ${payloadType}  NOT NULL,
    sent_at      BIGINT          NOT NULL,
    received_at  BIGINT          NOT NULL,
    PRIMARY KEY (client_id, message_id)
)${tableOptions};

-- latest(): a device's newest messages, read backwards along this index without sorting.
CREATE INDEX upstream_message_latest_idx ON upstream_message (client_id, received_at, message_id);
