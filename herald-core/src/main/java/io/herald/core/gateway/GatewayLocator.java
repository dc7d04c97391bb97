package io.herald.core.gateway;

import java.util.List;
import java.util.Optional;

/** Chooses the gateway a device should connect to after login. Standalone: itself; cluster: a routing strategy. */
public interface GatewayLocator {

    /**
     * @param clientId    the device that logged in
     * @param requestHost the host name the device used to reach the API (from the Host header), a sensible
     *                    default when the gateway advertises no public host of its own
     * @return empty when no gateway is available
     */
    Optional<GatewayAddress> locate(String clientId, String requestHost);

    /**
     * Up to {@code count} gateways other than {@code chosen}, best first, that the device may connect to with the
     * same token when {@code chosen} cannot be reached (killed, or drained and gone): it then needs no new login,
     * so a gateway's fleet comes back at the rate the gateways accept, not the rate the API logs devices in. Each
     * device gets an order of its own, so the devices of a gateway that went away spread over the others.
     * Standalone has no other gateway: none.
     */
    default List<GatewayAddress> fallbacks(String clientId, GatewayAddress chosen, int count) {
        return List.of();
    }
}
