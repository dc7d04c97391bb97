-- The revocation list of signed device tokens (io.herald.store.jdbc.JdbcRevocationLog), kept so that a standalone
-- node still refuses revoked tokens after a restart. kind 'C': every token of client id revoked_key issued under
-- a lower mark; kind 'T': the one token whose id is revoked_key (mark 0). Rows are deleted once expires_at (epoch
-- milliseconds) has passed: every token they could refuse has expired by then. A handful of rows per revoked or
-- deleted device, never one per token issued.
CREATE TABLE token_revocation (
    kind        CHAR(1)      NOT NULL,
    revoked_key VARCHAR(128) NOT NULL,
    mark        BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    PRIMARY KEY (kind, revoked_key)
);
CREATE INDEX token_revocation_expires_idx ON token_revocation (expires_at);
