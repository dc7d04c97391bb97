package io.herald.core.gateway;

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
}
