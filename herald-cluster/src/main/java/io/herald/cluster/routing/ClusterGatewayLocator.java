package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.core.gateway.GatewayAddress;
import io.herald.core.gateway.GatewayLocator;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cluster mode: a routing strategy over the live gateways, e.g.
 * {@code new ClusterGatewayLocator(directory::membership, RoutingStrategies.byName(setting))}.
 *
 * <p>Only gateways with room take logins ({@link GatewayMembership#accepting()}): a full one drops out of the
 * strategy's choice as if it had left, so with consistent hashing its devices' ids go to their next gateway on the
 * ring, and come back when it has room again.
 *
 * <p>Fallbacks are the other gateways with room, in an order of the device's own: highest random weight
 * (rendezvous hashing of client id and gateway id), so the devices of one gateway that goes away spread evenly
 * over the rest, and a device keeps the same order while the membership stays.
 *
 * <p>The request host is not used: it names the API node the device reached, not a gateway. Every gateway
 * advertises its own host.
 */
public final class ClusterGatewayLocator implements GatewayLocator {
    private final Supplier<GatewayMembership> membership;
    private final RoutingStrategy strategy;

    /** @param membership the current live gateways, typically {@code GatewayDirectory::membership} */
    public ClusterGatewayLocator(Supplier<GatewayMembership> membership, RoutingStrategy strategy) {
        this.membership = Objects.requireNonNull(membership, "membership");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    public Optional<GatewayAddress> locate(String clientId, String requestHost) {
        return strategy.choose(clientId, membership.get().accepting()).map(ClusterGatewayLocator::addressOf);
    }

    @Override
    public List<GatewayAddress> fallbacks(String clientId, GatewayAddress chosen, int count) {
        if (count <= 0) {
            return List.of();
        }
        return membership.get().accepting().nodes().stream()
                .map(node -> new Ranked(rendezvousWeight(clientId, node.id()), addressOf(node)))
                .filter(ranked -> !ranked.address().equals(chosen))
                .sorted(Comparator.comparingLong(Ranked::weight).reversed())
                .limit(count)
                .map(Ranked::address)
                .toList();
    }

    private record Ranked(long weight, GatewayAddress address) {
    }

    /** The device's weight for a gateway: Murmur3 of both ids, unsigned. */
    static long rendezvousWeight(String clientId, String gatewayId) {
        return Integer.toUnsignedLong(Murmur3.hash32(clientId + '\n' + gatewayId));
    }

    static GatewayAddress addressOf(GatewayNode node) {
        String wsUrl = node.hasWebSocket()
                ? GatewayAddress.webSocketUrl(node.host(), node.wsPort(), node.wsPath(), node.tls()) : null;
        return new GatewayAddress(node.host(), node.tcpPort(), wsUrl, node.tls());
    }
}
