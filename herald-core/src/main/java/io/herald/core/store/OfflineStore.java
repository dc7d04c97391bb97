package io.herald.core.store;

import io.herald.core.message.PushMessage;
import java.util.Collection;
import java.util.List;

/**
 * QoS 1 messages waiting for devices that are offline (or that disconnected before acking).
 * Blocking: call it off the event loops. Storing the same {@code (clientId, messageId)} twice keeps one copy.
 */
public interface OfflineStore {

    /** Stores the message for each client id, in batches (fine for 100,000 ids). */
    void store(Collection<String> clientIds, PushMessage message);

    /** Up to {@code limit} unexpired messages for the client, oldest (lowest message id) first. */
    List<PushMessage> pending(String clientId, long nowMillis, int limit);

    /** Removes one message once the device acked it; false when it was not stored. */
    boolean remove(String clientId, long messageId);

    /** Unexpired messages waiting for the client. */
    int countPending(String clientId, long nowMillis);

    /** Deletes expired messages; returns how many. */
    int purgeExpired(long nowMillis);
}
