package io.herald.core.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Who is online, and the power to end a session. Implemented by the gateway (or, in a cluster, over it). */
public interface SessionDirectory {

    Optional<SessionInfo> find(String clientId);

    /**
     * The sessions of those of {@code clientIds} that are online, keyed by client id (offline ones are absent). For
     * listing many devices at once: an implementation whose lookups are remote should answer in a few round trips,
     * not one per id. This default asks {@link #find} for each, which suits an in-process directory.
     */
    default Map<String, SessionInfo> findAll(Collection<String> clientIds) {
        Map<String, SessionInfo> online = new LinkedHashMap<>();
        for (String clientId : clientIds) {
            find(clientId).ifPresent(session -> online.put(clientId, session));
        }
        return online;
    }

    /** Sends the device a KICKED notice with the reason and closes it; false when it was not connected. */
    boolean kick(String clientId, String reason);

    int onlineCount();
}
