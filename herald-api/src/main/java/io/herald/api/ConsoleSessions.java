package io.herald.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's signed-in sessions, kept in this node's memory: the browser holds only a random session id (in an
 * HttpOnly cookie) and the server decides what it is worth. A session ends on sign-out, after {@link #IDLE_TIMEOUT}
 * without a request, or {@link #MAX_LIFETIME} after sign-in, whichever comes first; restarting the node ends them
 * all. At most {@link #MAX_SESSIONS} are kept (the least recently used goes first), so sign-ins cannot grow the map
 * without bound. Thread-safe (one lock; each call is a map operation).
 */
final class ConsoleSessions {
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration MAX_LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 1_000;
    /** 256 bits from a CSPRNG: neither the id nor the CSRF token can be guessed. */
    private static final int TOKEN_BYTES = 32;

    /** A live session; {@code csrfToken} goes to the page (in the sign-in answer), the id only into the cookie. */
    record Session(String id, String csrfToken, Instant createdAt, Instant expiresAt) {
    }

    private static final class Entry {
        final Session session;
        long lastSeen;

        Entry(Session session, long lastSeen) {
            this.session = session;
            this.lastSeen = lastSeen;
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** In access order: the head is the session used least recently. */
    private final LinkedHashMap<String, Entry> sessions = new LinkedHashMap<>(16, 0.75f, true);

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    synchronized Session create() {
        Instant now = clock.instant();
        Session session = new Session(randomToken(), randomToken(), now, now.plus(MAX_LIFETIME));
        sessions.put(session.id(), new Entry(session, now.toEpochMilli()));
        evict(now.toEpochMilli());
        return session;
    }

    /** The live session with this id, and marks it used now; empty for an unknown, ended or expired one. */
    synchronized Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Entry entry = sessions.get(id);
        long now = clock.millis();
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        entry.lastSeen = now;
        return Optional.of(entry.session);
    }

    /** Ends the session (sign-out); false when there was none. */
    synchronized boolean remove(String id) {
        return id != null && sessions.remove(id) != null;
    }

    synchronized int size() {
        return sessions.size();
    }

    private static boolean expired(Entry entry, long now) {
        return now - entry.lastSeen >= IDLE_TIMEOUT.toMillis() || now >= entry.session.expiresAt().toEpochMilli();
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, Entry>> leastRecentFirst = sessions.entrySet().iterator();
        while (leastRecentFirst.hasNext()) {
            Entry entry = leastRecentFirst.next().getValue();
            if (sessions.size() > MAX_SESSIONS || expired(entry, now)) {
                leastRecentFirst.remove();
            }
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
