package io.herald.cluster.routing;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import java.util.Optional;

/**
 * Picks the gateway a logging-in device is sent to. Implementations do no I/O, are safe to call from many threads
 * at once, and return empty exactly when the membership is empty.
 */
public interface RoutingStrategy {

    /** The name {@link RoutingStrategies#byName(String)} knows this strategy by. */
    String name();

    Optional<GatewayNode> choose(String clientId, GatewayMembership membership);
}
