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

    /** Removes one message (not acked: discarded); false when it was not stored. */
    boolean remove(String clientId, long messageId);

    /**
     * Removes a message the device acked, for a caller that needs no answer, and records the outcome "acked" for
     * {@code GET /api/v1/messages/{id}} where the store keeps outcomes (in the same transaction as the delete). May
     * return before the
     * delete ran: a store that groups writes then deletes the ACKs of many devices in one transaction. The stage
     * completes once the delete is committed, or fails as {@link #remove} would throw. Reads made after this call
     * returned ({@link #pending}, {@link #countPending}) see the delete. The default is {@link #remove}, completed.
     */
    default CompletableFuture<Void> removeSoon(String clientId, long messageId) {
        remove(clientId, messageId);
        return CompletableFuture.completedFuture(null);
    }

    /** Unexpired messages waiting for the client. */
    int countPending(String clientId, long nowMillis);

    /**
     * The devices the message is stored for (waiting, or sent and not acked yet), at most {@code limit}, in client id
     * order where the store can keep one.
     */
    List<String> holders(long messageId, int limit);

    /** Deletes expired messages; returns how many. */
    default int purgeExpired(long nowMillis) {
        return purgeExpired(nowMillis, (clientId, messageId) -> {
        });
    }

    /**
     * Deletes expired messages, records the outcome "expired" for each where the store keeps outcomes, and tells
     * {@code expired} about each copy once it is deleted (for the {@code message.expired} events); returns how many.
     */
    int purgeExpired(long nowMillis, ExpiredCopies expired);

    /** Told each expired copy a purge deleted. */
    @FunctionalInterface
    interface ExpiredCopies {
        void expired(String clientId, long messageId);
    }
}
