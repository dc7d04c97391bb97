-- Device tags (io.herald.store.jdbc.JdbcDeviceTags): the groups a push with "tag" reaches. One row per device and
-- tag; the foreign key deletes a device's tags with it, so a later registration of the id starts with none. The
-- second index answers "every device with this tag" in id order, as a range scan. Tags are ASCII (letters, digits
-- and . _ - : @, at most 64), case-sensitive: clientIdType is a case-sensitive ASCII column on every database.
CREATE TABLE device_tag (
    client_id ${clientIdType} NOT NULL,
    tag       ${clientIdType} NOT NULL,
    PRIMARY KEY (client_id, tag),
    FOREIGN KEY (client_id) REFERENCES device (client_id) ON DELETE CASCADE
)${tableOptions};
CREATE INDEX device_tag_tag_idx ON device_tag (tag, client_id);
