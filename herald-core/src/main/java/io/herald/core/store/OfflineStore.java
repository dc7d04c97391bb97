package io.herald.core.store;

import io.herald.core.message.PushMessage;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * QoS 1 messages waiting for devices that are offline (or that disconnected before acking).
 * Blocking: call it off the event loops. Storing the same {@code (clientId, messageId)} twice keeps one copy.
 */
public interface OfflineStore {

    /** One device's stored copy of one message, as an ACK names it. */
    record StoredCopy(String clientId, long messageId) {
    }

    /**
     * Stores the message for each client id, in batches (fine for 100,000 ids); returns once the store is durable
     * (what {@link #storeDurably} says).
     */
    void store(Collection<String> clientIds, PushMessage message);

    /**
     * Stores like {@link #store}, but may return before the write is durable (survives the process being killed):
     * the stage completes when it is, or fails when it cannot be made so. For a caller that answers "stored" once the
     * stage completes and can wait without holding a thread, so that a store that makes writes durable in groups
     * (an embedded database flushing its file) gets larger groups. The default is {@link #store}, completed.
     *
     * @throws RuntimeException when the write itself fails, as {@link #store} does
     */
    default CompletableFuture<Void> storeDurably(Collection<String> clientIds, PushMessage message) {
        store(clientIds, message);
        return CompletableFuture.completedFuture(null);
    }

    /** Up to {@code limit} unexpired messages for the client, oldest (lowest message id) first. */
    List<PushMessage> pending(String clientId, long nowMillis, int limit);

    /** Removes one message once the device acked it; false when it was not stored. */
    boolean remove(String clientId, long messageId);

    /**
     * Removes acked messages of any devices, together where the store can (one statement batch and one commit per
     * few hundred): what a gateway does with the ACKs of many devices. Copies that are not stored are skipped. The
     * default removes them one by one.
     */
    default void removeAll(Collection<StoredCopy> copies) {
        for (StoredCopy copy : copies) {
            remove(copy.clientId(), copy.messageId());
        }
    }

    /** Unexpired messages waiting for the client. */
    int countPending(String clientId, long nowMillis);

    /** Deletes expired messages; returns how many. */
    int purgeExpired(long nowMillis);
}
