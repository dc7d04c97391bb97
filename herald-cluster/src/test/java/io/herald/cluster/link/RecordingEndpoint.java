package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.core.session.SessionInfo;
import io.herald.protocol.Qos;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A gateway endpoint for tests, standing in for the gateway's services (not a mock of the link): it has a set of
 * connected client ids, answers pushes the way a gateway does (connected: online; others: stored for QoS 1,
 * dropped for QoS 0), and records every call. It can be told to fail or to never answer.
 */
public final class RecordingEndpoint implements LinkEndpoint {
    /** One push request as the endpoint received it; {@code stored}: the API node had stored the message. */
    public record Push(PushMessage message, List<String> clientIds, boolean stored) {
    }

    private final String gatewayId;
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final List<PushMessage> broadcasts = new CopyOnWriteArrayList<>();
    private final Map<String, String> kicks = new ConcurrentHashMap<>();
    private final List<List<String>> storeChanges = new CopyOnWriteArrayList<>();
    private volatile Consumer<Push> onPush = push -> { };
    private volatile boolean hanging;
    private volatile RuntimeException failure;

    public RecordingEndpoint(String gatewayId) {
        this.gatewayId = gatewayId;
    }

    public RecordingEndpoint connect(String... clientIds) {
        connected.addAll(List.of(clientIds));
        return this;
    }

    public void connectAll(Collection<String> clientIds) {
        connected.addAll(clientIds);
    }

    /** Runs on every push, on the link's event loop, before it is answered: to change the world meanwhile. */
    public void onPush(Consumer<Push> action) {
        onPush = action;
    }

    /** From now on push and broadcast never complete. */
    public void hang() {
        hanging = true;
    }

    /** From now on every call throws this. */
    public void failWith(RuntimeException e) {
        failure = e;
    }

    public List<Push> pushes() {
        return pushes;
    }

    public List<PushMessage> broadcasts() {
        return broadcasts;
    }

    public Map<String, String> kicks() {
        return kicks;
    }

    public List<List<String>> storeChanges() {
        return storeChanges;
    }

    /** The session this endpoint reports for a connected client. */
    public SessionInfo session(String clientId) {
        return new SessionInfo(clientId, "session-" + clientId, Instant.ofEpochSecond(1_718_000_000L, 123_456_789),
                "tcp", "10.0.0.7:51234", gatewayId);
    }

    @Override
    public CompletableFuture<PushResult> push(PushMessage message, List<String> clientIds) {
        return answer(new Push(message, clientIds, false));
    }

    /** Like a gateway: the ids not connected here count as stored (by the API node), nothing is dropped. */
    @Override
    public CompletableFuture<PushResult> pushStored(PushMessage message, List<String> clientIds) {
        return answer(new Push(message, clientIds, true));
    }

    private CompletableFuture<PushResult> answer(Push push) {
        failIfTold();
        PushMessage message = push.message();
        List<String> clientIds = push.clientIds();
        pushes.add(push);
        onPush.accept(push);
        if (hanging) {
            return new CompletableFuture<>();
        }
        int online = (int) clientIds.stream().filter(connected::contains).count();
        int offline = clientIds.size() - online;
        boolean stores = push.stored() || message.qos() == Qos.AT_LEAST_ONCE;
        return CompletableFuture.completedFuture(
                new PushResult(message.messageId(), online, stores ? offline : 0, stores ? 0 : offline));
    }

    @Override
    public CompletableFuture<PushResult> broadcast(PushMessage message) {
        failIfTold();
        broadcasts.add(message);
        if (hanging) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(new PushResult(message.messageId(), connected.size(), 0, 0));
    }

    @Override
    public boolean kick(String clientId, String reason) {
        failIfTold();
        if (!connected.remove(clientId)) {
            return false;
        }
        kicks.put(clientId, reason);
        return true;
    }

    @Override
    public Optional<SessionInfo> find(String clientId) {
        failIfTold();
        return connected.contains(clientId) ? Optional.of(session(clientId)) : Optional.empty();
    }

    @Override
    public int onlineCount() {
        failIfTold();
        return connected.size();
    }

    @Override
    public void storeChanged(Collection<String> clientIds) {
        failIfTold();
        storeChanges.add(List.copyOf(clientIds));
    }

    private void failIfTold() {
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
    }
}
