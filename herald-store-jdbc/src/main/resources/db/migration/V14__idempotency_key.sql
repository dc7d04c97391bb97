-- Idempotency keys of the push API (io.herald.store.jdbc.JdbcIdempotencyStore), shared by every API node. A row
-- is keyed by the SHA-256 of the key (hex), so any key the API accepts fits, on every database, case-sensitively.
--   state       'C' claimed (a request is being served), 'D' done (its answer is kept)
--   fingerprint SHA-256 (hex) of the request's route and body: the same key with another body is refused
--   claimed_at  epoch ms of the claim; with key_hash, the claim's identity (a completion names both)
--   expires_at  epoch ms after which the key is free again and the row is purged
CREATE TABLE idempotency_key (
    key_hash    CHAR(64)        NOT NULL,
    state       CHAR(1)         NOT NULL,
    fingerprint CHAR(64)        NOT NULL,
    claimed_at  BIGINT          NOT NULL,
    expires_at  BIGINT          NOT NULL,
    status      INTEGER,
    answer      ${payloadType},
    PRIMARY KEY (key_hash)
)${tableOptions};
CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at);
