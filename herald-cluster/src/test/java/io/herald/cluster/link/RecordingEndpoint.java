package io.herald.cluster.link;

import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.HandedOver;
import io.herald.core.push.PushResult;
import io.herald.core.session.SessionInfo;
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
 * connected client ids, answers a hand-over the way a gateway does (the connected ids are online, the others not
 * held), and records every call. It can be told to fail or to never answer.
 */
public final class RecordingEndpoint implements LinkEndpoint {
    private final String gatewayId;
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final List<List<DevicePush>> handOvers = new CopyOnWriteArrayList<>();
    private final List<PushMessage> broadcasts = new CopyOnWriteArrayList<>();
    private final Map<String, String> kicks = new ConcurrentHashMap<>();
    private final List<List<String>> storeChanges = new CopyOnWriteArrayList<>();
    private volatile Consumer<DevicePush> onPush = push -> { };
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

    /** Runs on every push of a hand-over, on the link's event loop, before it is answered: to change the world. */
    public void onPush(Consumer<DevicePush> action) {
        onPush = action;
    }

    /** From now on hand-overs and broadcasts never complete. */
    public void hang() {
        hanging = true;
    }

    /** From now on every call throws this. */
    public void failWith(RuntimeException e) {
        failure = e;
    }

    /** Every push of every hand-over, in the order received. */
    public List<DevicePush> pushes() {
        return handOvers.stream().flatMap(List::stream).toList();
    }

    /** Every hand-over request, as received. */
    public List<List<DevicePush>> handOvers() {
        return handOvers;
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
    public CompletableFuture<List<HandedOver>> handOver(List<DevicePush> pushes) {
        failIfTold();
        handOvers.add(List.copyOf(pushes));
        pushes.forEach(onPush);
        if (hanging) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(pushes.stream().map(push -> new HandedOver(
                (int) push.clientIds().stream().filter(connected::contains).count(),
                push.clientIds().stream().filter(clientId -> !connected.contains(clientId)).toList())).toList());
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
