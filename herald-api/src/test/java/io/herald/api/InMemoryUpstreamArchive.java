package io.herald.api;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamArchive;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An UpstreamArchive in a list, for tests. */
final class InMemoryUpstreamArchive implements UpstreamArchive {
    private final List<UpstreamMessage> messages = new ArrayList<>();

    @Override
    public synchronized int append(List<UpstreamMessage> batch) {
        int added = 0;
        for (UpstreamMessage message : batch) {
            boolean known = messages.stream().anyMatch(m -> m.clientId().equals(message.clientId())
                    && m.messageId() == message.messageId());
            if (!known) {
                messages.add(message);
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized List<UpstreamMessage> latest(String clientId, int limit) {
        return messages.stream()
                .filter(m -> m.clientId().equals(clientId))
                .sorted(Comparator.comparingLong(UpstreamMessage::receivedAt).reversed())
                .limit(limit)
                .toList();
    }
}
