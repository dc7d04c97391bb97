package io.herald.cluster.link.client;

import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.LinkRemoteException;
import io.herald.cluster.link.wire.LinkRequest;
import io.herald.cluster.link.wire.LinkResponse;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.herald.core.push.HandedOver;
import io.herald.core.push.PushResult;
import io.herald.core.session.SessionInfo;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The requests an API node can make of one gateway. Every future completes on a Netty event loop (keep
 * continuations short, or move them to an executor) and fails with a {@link io.herald.cluster.link.LinkException}
 * when the gateway cannot be asked ({@link io.herald.cluster.link.LinkUnavailableException}, at once while the link
 * is down), does not answer in time ({@link io.herald.cluster.link.LinkTimeoutException}) or answers with an error
 * ({@link LinkRemoteException}). Thread-safe.
 */
public final class GatewayLink {
    private final GatewayNode node;
    private final LinkConnection connection;
    private final LinkMetrics metrics;

    GatewayLink(GatewayNode node, LinkConnection connection, LinkMetrics metrics) {
        this.node = node;
        this.connection = connection;
        this.metrics = metrics;
    }

    /** The gateway as ZooKeeper announced it when this link was opened. */
    public GatewayNode node() {
        return node;
    }

    /** Whether requests go out right now (and are not failed or held until a connection is up). */
    public boolean isAuthenticated() {
        return connection.isAuthenticated();
    }

    /**
     * Hands the messages to those of their ids connected at the gateway, in list order (QoS 1 ones must already be
     * stored for every id: the gateway writes nothing). A long list goes as several HAND_OVER frames
     * ({@link LinkRequest.HandOver#frames}), all sent at once on this one connection, which the gateway serves in
     * order; completes with one answer per push, in order, or fails if any frame does.
     */
    public CompletableFuture<List<HandedOver>> handOver(List<DevicePush> pushes) {
        List<CompletableFuture<List<HandedOver>>> frames = LinkRequest.HandOver.frames(pushes).stream()
                .map(frame -> request(new LinkRequest.HandOver(0, frame), LinkResponse.HandedOver.class)
                        .thenApply(LinkResponse.HandedOver::answers))
                .toList();
        if (frames.size() == 1) {
            return frames.get(0);
        }
        return CompletableFuture.allOf(frames.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<HandedOver> answers = new ArrayList<>(pushes.size());
            frames.forEach(frame -> answers.addAll(frame.join()));
            return answers;
        });
    }

    public CompletableFuture<PushResult> broadcast(PushMessage message) {
        return request(new LinkRequest.Broadcast(0, message), LinkResponse.Pushed.class)
                .thenApply(LinkResponse.Pushed::result);
    }

    /** Completes with false when the client is not connected at the gateway. */
    public CompletableFuture<Boolean> kick(String clientId, String reason) {
        return request(new LinkRequest.Kick(0, clientId, reason), LinkResponse.Kicked.class)
                .thenApply(LinkResponse.Kicked::kicked);
    }

    public CompletableFuture<Optional<SessionInfo>> find(String clientId) {
        return request(new LinkRequest.Find(0, clientId), LinkResponse.Found.class)
                .thenApply(LinkResponse.Found::session);
    }

    public CompletableFuture<Integer> onlineCount() {
        return request(new LinkRequest.OnlineCount(0), LinkResponse.Counted.class)
                .thenApply(LinkResponse.Counted::count);
    }

    /** Tells the gateway that messages were stored for these clients, so those connected there read the store. */
    public CompletableFuture<Void> storeChanged(Collection<String> clientIds) {
        return request(new LinkRequest.StoreChanged(0, List.copyOf(clientIds)), LinkResponse.Done.class)
                .thenApply(done -> null);
    }

    private <R extends LinkResponse> CompletableFuture<R> request(LinkRequest request, Class<R> answerType) {
        Timer.Sample sample = metrics.start();
        return connection.send(request).whenComplete((answer, failure) ->
                metrics.completed(sample, request.type(), failure)).thenApply(answer -> {
            if (!answerType.isInstance(answer)) {
                throw new LinkRemoteException(node.id(), "gateway " + node.id() + " answered " + request.type()
                        + " with " + answer.type());
            }
            return answerType.cast(answer);
        });
    }

    void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "GatewayLink[" + node.id() + " at " + node.host() + ":" + node.internalPort() + "]";
    }
}
