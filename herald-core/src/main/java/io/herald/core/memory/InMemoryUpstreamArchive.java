package io.herald.core.memory;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamArchive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Upstream messages in process memory, de-duplicated by (client id, message id): for tests and tools. */
public final class InMemoryUpstreamArchive implements UpstreamArchive {
    private final Map<String, LinkedHashMap<Long, UpstreamMessage>> byClient = new LinkedHashMap<>();

    @Override
    public synchronized int append(List<UpstreamMessage> messages) {
        int added = 0;
        for (UpstreamMessage message : messages) {
            if (byClient.computeIfAbsent(message.clientId(), id -> new LinkedHashMap<>())
                    .putIfAbsent(message.messageId(), message) == null) {
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized List<UpstreamMessage> latest(String clientId, long generation, int limit) {
        List<UpstreamMessage> all = new ArrayList<>(byClient.getOrDefault(clientId, new LinkedHashMap<>()).values());
        all.removeIf(message -> message.generation() != generation);
        List<UpstreamMessage> newestFirst = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            newestFirst.add(all.get(i));
        }
        return newestFirst;
    }

    /** Every stored message, oldest first. */
    public synchronized List<UpstreamMessage> all() {
        List<UpstreamMessage> all = new ArrayList<>();
        byClient.values().forEach(messages -> all.addAll(messages.values()));
        return all;
    }
}
