package io.herald.store.jdbc;

import io.herald.core.store.MessageStatuses.DeliveryStatus;
import io.herald.core.store.MessageStatuses.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The "acked" outcomes of copies the in-flight log held, kept in memory until they are in the outcome table: an ACK
 * costs a tombstone in the log (which carries the ack time, so a replay finds the outcome again) instead of a row
 * inserted per message. {@link InflightLogOfflineStore} hands them to the table in bulk ({@link #drain}) when a
 * segment rolls, at close and after a replay; a drained batch is still answered here until the table has it
 * ({@link #moved}), so a read that comes here first and to the table next never misses one.
 *
 * <p>Bounded by the segment: the current batch holds the outcomes of the current segment's tombstones, and the
 * store rolls the segment once its copies and these outcomes reach {@link InflightLogOfflineStore#MAX_COPIES}.
 *
 * <p>Thread-safe on its own lock, not the store's: the table's threads call {@link #moved} while a roll holds the
 * store's lock and waits for them.
 */
final class AckedOutcomes {
    /** One device's ACK of a message. */
    private record Ack(String clientId, long ackedAt) {
    }

    /** Outcomes drained for the table: still answered until {@link #moved}. */
    static final class Batch {
        /** Never changed once drained: read without the lock. */
        private final Map<Long, List<Ack>> byMessage;

        private Batch(Map<Long, List<Ack>> byMessage) {
            this.byMessage = byMessage;
        }

        /** The rows for the outcome table. */
        List<MessageOutcomeTable.Outcome> outcomes() {
            List<MessageOutcomeTable.Outcome> outcomes = new ArrayList<>();
            byMessage.forEach((messageId, acks) -> acks.forEach(ack -> outcomes.add(new MessageOutcomeTable.Outcome(
                    ack.clientId(), messageId, MessageOutcomeTable.ACKED, ack.ackedAt()))));
            return outcomes;
        }
    }

    /** By message id: a status read asks for one message. Lists are in ACK order. */
    private Map<Long, List<Ack>> current = new HashMap<>();
    private int size;
    private final List<Batch> moving = new ArrayList<>();

    /** The device acked the message at {@code ackedAt} (epoch ms). */
    synchronized void add(String clientId, long messageId, long ackedAt) {
        current.computeIfAbsent(messageId, id -> new ArrayList<>(1)).add(new Ack(clientId, ackedAt));
        size++;
    }

    /** How many outcomes the current batch holds (drained ones not counted: they are the table's to hold). */
    synchronized int size() {
        return size;
    }

    /** Takes the current outcomes for the table; they are still answered until {@link #moved}. */
    synchronized Batch drain() {
        Batch batch = new Batch(current);
        moving.add(batch);
        current = new HashMap<>();
        size = 0;
        return batch;
    }

    /** The table has the batch (or it is given up): stop answering it here. */
    synchronized void moved(Batch batch) {
        moving.remove(batch);
    }

    /**
     * The acked outcomes of the message held here, in client id order, at most {@code limit}. A device that acked a
     * copy stored again answers with its first ACK, as the table keeps the first outcome.
     */
    synchronized List<DeliveryStatus> of(long messageId, int limit) {
        TreeMap<String, DeliveryStatus> byClient = new TreeMap<>();
        for (Batch batch : moving) {
            addTo(byClient, batch.byMessage.get(messageId));
        }
        addTo(byClient, current.get(messageId));
        return byClient.values().stream().limit(limit).toList();
    }

    private static void addTo(TreeMap<String, DeliveryStatus> byClient, List<Ack> acks) {
        if (acks != null) {
            acks.forEach(ack -> byClient.putIfAbsent(ack.clientId(),
                    new DeliveryStatus(ack.clientId(), State.ACKED, ack.ackedAt())));
        }
    }
}
