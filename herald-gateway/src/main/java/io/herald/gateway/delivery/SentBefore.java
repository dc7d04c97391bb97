package io.herald.gateway.delivery;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which stored QoS 1 messages this gateway has already sent to a device whose connection then closed without their
 * ACK: the next session of the device sends exactly those with the DUPLICATE flag ("sent to this device before"),
 * and a message that was stored while the device was offline goes out the first time without it. Node-local and
 * bounded (the devices that most recently left with unacked messages; a capped number of ids each): a device that
 * comes back to another gateway, or after this one forgot it, may get a message again without the flag, which the
 * protocol allows (devices de-duplicate by id); it never gets the flag on a first delivery. Thread-safe.
 */
public final class SentBefore {
    /** Per device; more than the in-flight window, so several sessions in a row that ack nothing still fit. */
    static final int MAX_IDS_PER_DEVICE = 1_024;

    private final Map<String, long[]> byClient;

    public SentBefore(int maxDevices) {
        this.byClient = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxDevices;
            }
        };
    }

    /** A session of the device closed with these ids sent and not acked (replaces what was remembered). */
    public synchronized void remember(String clientId, long[] ids) {
        if (ids.length == 0) {
            byClient.remove(clientId);
        } else {
            byClient.put(clientId, ids);
        }
    }

    /** What a new session of the device starts with; forgotten here, as that session now keeps it. */
    public synchronized long[] take(String clientId) {
        long[] ids = byClient.remove(clientId);
        return ids == null ? new long[0] : ids;
    }
}
