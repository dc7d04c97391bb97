package io.herald.api;

import io.herald.core.store.MessageStatuses;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Message states a test sets, answered as they are (the JDBC statuses are tested in herald-store-jdbc). */
final class FakeMessageStatuses implements MessageStatuses {
    private final Map<Long, List<DeliveryStatus>> byMessage = new ConcurrentHashMap<>();

    void set(long messageId, List<DeliveryStatus> statuses) {
        byMessage.put(messageId, List.copyOf(statuses));
    }

    @Override
    public List<DeliveryStatus> of(long messageId, int limit) {
        return byMessage.getOrDefault(messageId, List.of()).stream().limit(limit).toList();
    }
}
