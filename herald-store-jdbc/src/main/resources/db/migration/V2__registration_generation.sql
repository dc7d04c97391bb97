-- Registration generations (issue 9). A device gets a random generation when it is registered; tokens and
-- sessions are bound to it, and every archived upstream message records the generation it was sent under, so a
-- device deleted and registered again under the same id never sees the earlier registration's messages (late
-- rows the cluster's archiver writes after the delete included). Rows from before this version get 0, as do
-- their devices: they stay visible together.
ALTER TABLE device ADD COLUMN generation BIGINT DEFAULT 0 NOT NULL;

ALTER TABLE upstream_message ADD COLUMN generation BIGINT DEFAULT 0 NOT NULL;
