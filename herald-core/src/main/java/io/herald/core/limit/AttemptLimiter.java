package io.herald.core.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts attempts per key (a client id, an address) in fixed windows that start at a key's first attempt, and
 * says how long a key over its {@link AttemptLimit} must wait. Memory is bounded: at most {@code maxKeys} keys are
 * kept, expired windows go first, then the oldest ones. Evicting a live window forgets attempts, which helps only
 * a caller who can produce {@code maxKeys} other keys quickly, and those are held back by the per-address limit.
 * Thread-safe (one lock; each call is a map lookup).
 */
public final class AttemptLimiter {
    /** Enough for every address of a large fleet failing at once, and about 20 MB at worst. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private static final class Window {
        final long start;
        int attempts;

        Window(long start) {
            this.start = start;
        }
    }

    private final AttemptLimit limit;
    private final long windowMillis;
    private final int maxKeys;
    private final Clock clock;
    /** In window-start order: a new window is put at the end, so the head is the oldest. */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    public AttemptLimiter(AttemptLimit limit, int maxKeys, Clock clock) {
        this.limit = limit;
        this.windowMillis = limit.window().toMillis();
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    public AttemptLimiter(AttemptLimit limit, Clock clock) {
        this(limit, DEFAULT_MAX_KEYS, clock);
    }

    AttemptLimit limit() {
        return limit;
    }

    /** How long {@code key} must wait before its next attempt is allowed; null when it may go ahead now. */
    public synchronized Duration blockedFor(String key) {
        if (!limit.enabled()) {
            return null;
        }
        Window window = windows.get(key);
        long now = clock.millis();
        if (window == null || now - window.start >= windowMillis) {
            return null;
        }
        return window.attempts >= limit.max() ? Duration.ofMillis(window.start + windowMillis - now) : null;
    }

    /** Counts an attempt of {@code key}. */
    public synchronized void record(String key) {
        if (!limit.enabled()) {
            return;
        }
        long now = clock.millis();
        Window window = windows.get(key);
        if (window == null || now - window.start >= windowMillis) {
            windows.remove(key);
            window = new Window(now);
            windows.put(key, window);
            evict(now);
        }
        window.attempts++;
    }

    /** Counts an attempt of {@code key} unless it is over its limit: null when counted, else how long to wait. */
    public synchronized Duration tryAcquire(String key) {
        Duration wait = blockedFor(key);
        if (wait == null) {
            record(key);
        }
        return wait;
    }

    public synchronized int size() {
        return windows.size();
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, Window>> oldestFirst = windows.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Window oldest = oldestFirst.next().getValue();
            if (now - oldest.start < windowMillis && windows.size() <= maxKeys) {
                return;
            }
            oldestFirst.remove();
        }
    }
}
