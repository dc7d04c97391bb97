package io.herald.store.jdbc;

import io.herald.core.message.PushMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages whose only copy is in the in-flight log, by device and message id: what a replay of the log's
 * records rebuilds, and what {@link InflightLogOfflineStore} reads. Holds no more than the current segment's
 * records describe, so its size is bounded by the segment's. Not thread-safe: its owner guards it.
 */
final class InflightIndex {
    private final Map<String, TreeMap<Long, PushMessage>> byDevice = new HashMap<>();
    private int size;

    /** Adds the message for the device; false when it is there already. */
    boolean add(String clientId, PushMessage message) {
        PushMessage before = byDevice.computeIfAbsent(clientId, id -> new TreeMap<>())
                .putIfAbsent(message.messageId(), message);
        if (before == null) {
            size++;
            return true;
        }
        return false;
    }

    boolean holds(String clientId) {
        return byDevice.containsKey(clientId);
    }

    boolean contains(String clientId, long messageId) {
        TreeMap<Long, PushMessage> messages = byDevice.get(clientId);
        return messages != null && messages.containsKey(messageId);
    }

    /** Removes one message; false when it was not here. */
    boolean remove(String clientId, long messageId) {
        TreeMap<Long, PushMessage> messages = byDevice.get(clientId);
        if (messages == null || messages.remove(messageId) == null) {
            return false;
        }
        size--;
        if (messages.isEmpty()) {
            byDevice.remove(clientId);
        }
        return true;
    }

    /** Removes every message of the device; false when it had none. */
    boolean removeDevice(String clientId) {
        TreeMap<Long, PushMessage> messages = byDevice.remove(clientId);
        if (messages == null) {
            return false;
        }
        size -= messages.size();
        return true;
    }

    /** Up to {@code limit} unexpired messages of the device, lowest message id first. */
    List<PushMessage> pending(String clientId, long nowMillis, int limit) {
        TreeMap<Long, PushMessage> messages = byDevice.get(clientId);
        List<PushMessage> found = new ArrayList<>();
        if (messages == null) {
            return found;
        }
        for (PushMessage message : messages.values()) {
            if (found.size() >= limit) {
                break;
            }
            if (message.expiresAt() > nowMillis) {
                found.add(message);
            }
        }
        return found;
    }

    int countPending(String clientId, long nowMillis) {
        TreeMap<Long, PushMessage> messages = byDevice.get(clientId);
        if (messages == null) {
            return 0;
        }
        return (int) messages.values().stream().filter(message -> message.expiresAt() > nowMillis).count();
    }

    /** Drops expired messages; returns them (no more than the index holds, so bounded by a segment). */
    List<MessageKey> purgeExpired(long nowMillis) {
        List<MessageKey> purged = new ArrayList<>();
        for (Iterator<Map.Entry<String, TreeMap<Long, PushMessage>>> devices = byDevice.entrySet().iterator();
             devices.hasNext(); ) {
            Map.Entry<String, TreeMap<Long, PushMessage>> device = devices.next();
            TreeMap<Long, PushMessage> messages = device.getValue();
            messages.values().removeIf(message -> {
                if (message.expiresAt() > nowMillis) {
                    return false;
                }
                purged.add(new MessageKey(device.getKey(), message.messageId()));
                return true;
            });
            if (messages.isEmpty()) {
                devices.remove();
            }
        }
        size -= purged.size();
        return purged;
    }

    /**
     * The devices holding the message, in client id order, at most {@code limit}. Looks the id up in every device's
     * messages: at most one segment's devices, for an API read, not for the write path.
     */
    List<String> holders(long messageId, int limit) {
        List<String> holders = new ArrayList<>();
        byDevice.forEach((clientId, messages) -> {
            if (messages.containsKey(messageId)) {
                holders.add(clientId);
            }
        });
        holders.sort(null);
        return holders.size() <= limit ? holders : new ArrayList<>(holders.subList(0, limit));
    }

    /**
     * Every message (expired ones too: the table's purge takes them) with the devices that hold it, each message once (a push to many devices is one
     * entry): what moves to the offline table when a segment rolls.
     */
    Map<PushMessage, Collection<String>> byMessage() {
        Map<Long, PushMessage> messages = new HashMap<>();
        Map<PushMessage, Collection<String>> devices = new LinkedHashMap<>();
        byDevice.forEach((clientId, held) -> held.values().forEach(message -> {
            PushMessage shared = messages.computeIfAbsent(message.messageId(), id -> message);
            devices.computeIfAbsent(shared, m -> new ArrayList<>()).add(clientId);
        }));
        return devices;
    }

    int size() {
        return size;
    }

    void clear() {
        byDevice.clear();
        size = 0;
    }
}
