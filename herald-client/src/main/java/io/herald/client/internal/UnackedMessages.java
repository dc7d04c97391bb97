package io.herald.client.internal;

import io.herald.client.TooManyUnackedMessagesException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Upstream messages sent (or about to be) and not yet acknowledged, in send order, bounded by
 * {@code maxUnackedMessages}. A slot is reserved on the caller's thread before the message is even created,
 * so that {@code send()} can fail fast; everything else runs on the client's event loop.
 */
public final class UnackedMessages {
    private final int capacity;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Map<Long, PendingMessage> byId = new LinkedHashMap<>();

    public UnackedMessages(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Reserves room for one message; thread-safe.
     *
     * @throws TooManyUnackedMessagesException when {@code capacity} messages are already waiting
     */
    public void reserve() {
        int current;
        do {
            current = reserved.get();
            if (current >= capacity) {
                throw new TooManyUnackedMessagesException(capacity);
            }
        } while (!reserved.compareAndSet(current, current + 1));
    }

    /** Returns a reserved slot that was never filled (the message could not be queued). Thread-safe. */
    public void unreserve() {
        reserved.decrementAndGet();
    }

    /** Reserved slots: messages waiting for an ACK plus those on their way in. Thread-safe. */
    public int reservedCount() {
        return reserved.get();
    }

    /** Adds a message into a slot reserved for it. */
    public void add(PendingMessage message) {
        if (byId.putIfAbsent(message.messageId(), message) != null) {
            throw new IllegalStateException("message id " + message.messageId() + " is already pending");
        }
    }

    public PendingMessage get(long messageId) {
        return byId.get(messageId);
    }

    /** Removes an acknowledged (or rejected) message and frees its slot; null when the id is not pending. */
    public PendingMessage remove(long messageId) {
        PendingMessage removed = byId.remove(messageId);
        if (removed != null) {
            reserved.decrementAndGet();
        }
        return removed;
    }

    /** All pending messages, oldest first; do not modify the store while iterating. */
    public Collection<PendingMessage> inSendOrder() {
        return byId.values();
    }

    /** Removes every message, freeing their slots, and returns them oldest first. */
    public List<PendingMessage> removeAll() {
        List<PendingMessage> all = new ArrayList<>(byId.values());
        byId.clear();
        reserved.addAndGet(-all.size());
        return all;
    }

    public int size() {
        return byId.size();
    }
}
