package io.herald.store.jdbc;

import io.herald.core.store.OfflineStore;

/** An offline store that owns a thread or a file: its node closes it at shutdown, after the gateway. */
public interface ClosableOfflineStore extends OfflineStore, AutoCloseable {
    /**
     * Drops the messages of a deleted device that this store keeps outside the offline table (whose rows
     * {@link JdbcDeviceStore#delete} removes with the device); called by that delete, after it.
     */
    void forgetDevice(String clientId);

    /** Writes what was queued, then releases what the store holds; later writes fail. */
    @Override
    void close();
}
