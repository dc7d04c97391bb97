package io.herald.core.memory;

import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Offline messages in process memory, ordered by message id per client: for tests and tools. */
public final class InMemoryOfflineStore implements OfflineStore {
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
        NavigableMap<Long, PushMessage> messages = byClient.get(clientId);
        if (messages == null) {
            return List.of();
        }
        return messages.values().stream().filter(m -> !m.isExpired(nowMillis)).limit(limit).toList();
    }

    @Override
    public boolean remove(String clientId, long messageId) {
        NavigableMap<Long, PushMessage> messages = byClient.get(clientId);
        return messages != null && messages.remove(messageId) != null;
    }

    @Override
    public int countPending(String clientId, long nowMillis) {
        return pending(clientId, nowMillis, Integer.MAX_VALUE).size();
    }

    /** Scans every device: for tests and tools. */
    @Override
    public List<String> holders(long messageId, int limit) {
        return byClient.entrySet().stream().filter(entry -> entry.getValue().containsKey(messageId))
                .map(Map.Entry::getKey).sorted().limit(limit).toList();
    }

    /** Keeps no outcomes: only tells {@code expired}. */
    @Override
    public int purgeExpired(long nowMillis, ExpiredCopies expired) {
        int removed = 0;
        for (Map.Entry<String, NavigableMap<Long, PushMessage>> device : byClient.entrySet()) {
            NavigableMap<Long, PushMessage> messages = device.getValue();
            for (PushMessage message : messages.values()) {
                if (message.isExpired(nowMillis) && messages.remove(message.messageId()) != null) {
                    removed++;
                    expired.expired(device.getKey(), message.messageId());
                }
            }
        }
        return removed;
    }
}
