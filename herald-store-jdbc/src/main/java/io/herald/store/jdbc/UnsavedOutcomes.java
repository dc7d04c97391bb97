package io.herald.store.jdbc;

import io.herald.core.store.MessageStatuses.DeliveryStatus;
import java.util.List;

/**
 * An offline store that records some outcomes in memory before they reach the {@code message_outcome} table (the
 * in-flight log moves a segment's ACK outcomes there in bulk): {@link JdbcMessageStatuses} answers them too.
 */
interface UnsavedOutcomes {
    /**
     * The outcomes of the message held here and not (yet) read from the table, in client id order, at most
     * {@code limit}. One that moves to the table meanwhile is still answered here until the table has it: read
     * this before the table and it is never missed.
     */
    List<DeliveryStatus> outcomesNotInTable(long messageId, int limit);
}
