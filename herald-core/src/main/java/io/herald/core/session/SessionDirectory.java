package io.herald.core.session;

import java.util.Optional;

/** Who is online, and the power to end a session. Implemented by the gateway (or, in a cluster, over it). */
public interface SessionDirectory {

    Optional<SessionInfo> find(String clientId);

    /** Sends the device a KICKED notice with the reason and closes it; false when it was not connected. */
    boolean kick(String clientId, String reason);

    int onlineCount();
}
