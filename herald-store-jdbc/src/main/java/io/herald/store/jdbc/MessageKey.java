package io.herald.store.jdbc;

/** The primary key shared by stored messages, offline or upstream: one copy per device and message id. */
record MessageKey(String clientId, long messageId) {
}
