package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.core.gateway.GatewayAddress;
import io.herald.core.gateway.GatewayLocator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cluster mode: a routing strategy over the live gateways, e.g.
 * {@code new ClusterGatewayLocator(directory::membership, RoutingStrategies.byName(setting))}.
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
        return strategy.choose(clientId, membership.get()).map(ClusterGatewayLocator::addressOf);
    }

    static GatewayAddress addressOf(GatewayNode node) {
        String wsUrl = node.hasWebSocket()
                ? GatewayAddress.webSocketUrl(node.host(), node.wsPort(), node.wsPath(), node.tls()) : null;
        return new GatewayAddress(node.host(), node.tcpPort(), wsUrl, node.tls());
    }
}
