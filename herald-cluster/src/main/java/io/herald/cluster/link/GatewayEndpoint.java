package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushService;
import io.herald.core.push.PushTargets;
import io.herald.core.push.StoredPushService;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.MDC;

/** {@link LinkEndpoint#of}: a gateway's own services behind the link, with the push's trace id in the log context. */
final class GatewayEndpoint implements LinkEndpoint {
    private static final String TRACE_ID = "traceId";

    private final PushService pushService;
    private final StoredPushService storedPushService;
    private final SessionDirectory sessions;
    private final Consumer<String> storeChanged;

    GatewayEndpoint(PushService pushService, StoredPushService storedPushService, SessionDirectory sessions,
                    Consumer<String> storeChanged) {
        this.pushService = Objects.requireNonNull(pushService, "pushService");
        this.storedPushService = Objects.requireNonNull(storedPushService, "storedPushService");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.storeChanged = Objects.requireNonNull(storeChanged, "storeChanged");
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, List<String> clientIds) {
        return pushTraced(message, PushTargets.devices(clientIds));
    }

    @Override
    public CompletableFuture<PushResult> pushStored(PushMessage message, List<String> clientIds) {
        return traced(message, () -> storedPushService.pushStored(message, clientIds));
    }

    @Override
    public CompletableFuture<PushResult> broadcast(PushMessage message) {
        return pushTraced(message, PushTargets.broadcast());
    }

    private CompletableFuture<PushResult> pushTraced(PushMessage message, PushTargets targets) {
        return traced(message, () -> pushService.push(message, targets));
    }

    /** The push services read the trace id from the MDC (the API node put it there for the same push). */
    private static CompletableFuture<PushResult> traced(PushMessage message,
                                                        Supplier<CompletableFuture<PushResult>> push) {
        if (message.traceId() == null) {
            return push.get();
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(TRACE_ID, message.traceId())) {
            return push.get();
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
