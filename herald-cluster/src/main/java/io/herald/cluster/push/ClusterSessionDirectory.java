package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.client.GatewayLink;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.cluster.redis.SessionLocation;
import io.herald.core.concurrent.Stages;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Who is online, for an API node: Redis says which gateway holds a device, that gateway (asked over its link)
 * describes or kicks the session. A device whose gateway has left the membership is not online.
 *
 * <p>Blocking, as the interface is: each call waits for at most the Redis command timeout plus the link's request
 * timeout. When the holding gateway cannot be asked, the {@link io.herald.cluster.link.LinkException} is thrown
 * rather than guessing an answer.
 */
public final class ClusterSessionDirectory implements SessionDirectory {
    private final Supplier<GatewayMembership> membership;
    private final RedisSessionRegistry sessions;
    private final GatewayLinks links;

    public ClusterSessionDirectory(Supplier<GatewayMembership> membership, RedisSessionRegistry sessions,
                                   GatewayLinks links) {
        this.membership = Objects.requireNonNull(membership, "membership");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.links = Objects.requireNonNull(links, "links");
    }

    @Override
    public Optional<SessionInfo> find(String clientId) {
        Optional<GatewayLink> holder = holder(clientId);
        return holder.isEmpty() ? Optional.empty() : Stages.await(holder.get().find(clientId));
    }

    /**
     * One Redis lookup (MGETs) for all the ids, then the holding gateways are asked about the online ones, all
     * requests in flight at once: a page of a thousand devices costs a few round trips, not a thousand.
     */
    @Override
    public Map<String, SessionInfo> findAll(Collection<String> clientIds) {
        if (clientIds.isEmpty()) {
            return Map.of();
        }
        GatewayMembership live = membership.get();
        Map<String, SessionLocation> located = Stages.await(sessions.lookup(clientIds));
        Map<String, CompletableFuture<Optional<SessionInfo>>> asked = new LinkedHashMap<>();
        for (String clientId : clientIds) {
            SessionLocation location = located.get(clientId);
            if (location != null) {
                Routing.holder(location, live).map(links::link)
                        .ifPresent(link -> asked.put(clientId, link.find(clientId)));
            }
        }
        Map<String, SessionInfo> online = new LinkedHashMap<>();
        asked.forEach((clientId, answer) -> Stages.await(answer).ifPresent(session -> online.put(clientId, session)));
        return online;
    }

    @Override
    public boolean kick(String clientId, String reason) {
        Optional<GatewayLink> holder = holder(clientId);
        return holder.isPresent() && Stages.await(holder.get().kick(clientId, reason));
    }

    /** The devices connected to live gateways, as each last published it in ZooKeeper (no round trip). */
    @Override
    public int onlineCount() {
        return membership.get().nodes().stream().mapToInt(GatewayNode::connections).sum();
    }

    private Optional<GatewayLink> holder(String clientId) {
        GatewayMembership live = membership.get();
        return Stages.await(sessions.find(clientId))
                .flatMap(location -> Routing.holder(location, live))
                .map(links::link);
    }
}
