-- The archive's retention cleanup (io.herald.store.jdbc.ArchiveRetention) deletes the oldest messages of all
-- devices in small batches: it reads them along this index instead of scanning the whole table each batch.
-- Numbered 12, not 2, to leave room for migrations written in parallel (issue 9).
CREATE INDEX upstream_message_received_idx ON upstream_message (received_at);
