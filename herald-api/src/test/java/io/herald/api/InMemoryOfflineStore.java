package io.herald.api;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** An OfflineStore in maps, for tests. */
final class InMemoryOfflineStore implements OfflineStore {
    private final Map<String, NavigableMap<Long, PushMessage>> byClient = new ConcurrentHashMap<>();

    @Override
    public void store(Collection<String> clientIds, PushMessage message) {
        for (String clientId : clientIds) {
            byClient.computeIfAbsent(clientId, id -> new ConcurrentSkipListMap<>())
                    .putIfAbsent(message.messageId(), message);
        }
    }

    @Override
    public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
        return byClient.getOrDefault(clientId, new ConcurrentSkipListMap<>()).values().stream()
                .filter(message -> !message.isExpired(nowMillis))
                .limit(limit)
                .toList();
    }

    @Override
    public boolean remove(String clientId, long messageId) {
        NavigableMap<Long, PushMessage> messages = byClient.get(clientId);
        return messages != null && messages.remove(messageId) != null;
    }

    @Override
    public int countPending(String clientId, long nowMillis) {
        return (int) byClient.getOrDefault(clientId, new ConcurrentSkipListMap<>()).values().stream()
                .filter(message -> !message.isExpired(nowMillis))
                .count();
    }

    @Override
    public int purgeExpired(long nowMillis) {
        int removed = 0;
        for (NavigableMap<Long, PushMessage> messages : byClient.values()) {
            for (PushMessage message : List.copyOf(messages.values())) {
                if (message.isExpired(nowMillis) && messages.remove(message.messageId()) != null) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
