package io.herald.api;

import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sessions a test declares online; records every kick. */
final class FakeSessionDirectory implements SessionDirectory {
    record Kick(String clientId, String reason, boolean wasOnline) {
    }

    private final Map<String, SessionInfo> online = new ConcurrentHashMap<>();
    final List<Kick> kicks = new CopyOnWriteArrayList<>();
    /** When set, every lookup fails with it, as a cluster directory does when a gateway is unreachable. */
    volatile RuntimeException failure;

    void connect(SessionInfo session) {
        online.put(session.clientId(), session);
    }

    @Override
    public Optional<SessionInfo> find(String clientId) {
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(online.get(clientId));
    }

    @Override
    public boolean kick(String clientId, String reason) {
        boolean wasOnline = online.remove(clientId) != null;
        kicks.add(new Kick(clientId, reason, wasOnline));
        return wasOnline;
    }

    @Override
    public int onlineCount() {
        return online.size();
    }
}
