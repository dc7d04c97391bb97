package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.MDC;

/** {@link LinkEndpoint#of}: a gateway's own services behind the link, with the push's trace id in the log context. */
final class GatewayEndpoint implements LinkEndpoint {
    private static final String TRACE_ID = "traceId";

    private final PushService pushService;
    private final SessionDirectory sessions;
    private final Consumer<String> storeChanged;

    GatewayEndpoint(PushService pushService, SessionDirectory sessions, Consumer<String> storeChanged) {
        this.pushService = Objects.requireNonNull(pushService, "pushService");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.storeChanged = Objects.requireNonNull(storeChanged, "storeChanged");
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, List<String> clientIds) {
        return pushTraced(message, PushTargets.devices(clientIds));
    }

    @Override
    public CompletableFuture<PushResult> broadcast(PushMessage message) {
        return pushTraced(message, PushTargets.broadcast());
    }

    /** The push service reads the trace id from the MDC (the API node put it there for the same push). */
    private CompletableFuture<PushResult> pushTraced(PushMessage message, PushTargets targets) {
        if (message.traceId() == null) {
            return pushService.push(message, targets);
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(TRACE_ID, message.traceId())) {
            return pushService.push(message, targets);
        }
    }

    @Override
    public boolean kick(String clientId, String reason) {
        return sessions.kick(clientId, reason);
    }

    @Override
    public Optional<SessionInfo> find(String clientId) {
        return sessions.find(clientId);
    }

    @Override
    public int onlineCount() {
        return sessions.onlineCount();
    }

    @Override
    public void storeChanged(Collection<String> clientIds) {
        clientIds.forEach(storeChanged);
    }
}
