package io.herald.api;

import io.herald.core.gateway.GatewayAddress;
import io.herald.core.gateway.GatewayLocator;
import java.util.List;
import java.util.Optional;

/** Points every device at the host it used for the API, unless a test switches the gateway off. */
final class FakeGatewayLocator implements GatewayLocator {
    static final int TCP_PORT = 7000;
    static final int WS_PORT = 7001;

    volatile boolean available = true;
    volatile boolean webSocket = true;
    volatile String lastRequestHost;
    /** TCP ports of fallback gateways on the request host; none unless a test sets them. */
    volatile List<Integer> fallbackPorts = List.of();

    @Override
    public Optional<GatewayAddress> locate(String clientId, String requestHost) {
        lastRequestHost = requestHost;
        if (!available) {
            return Optional.empty();
        }
        String wsUrl = webSocket ? "ws://" + requestHost + ":" + WS_PORT + "/ws" : null;
        return Optional.of(new GatewayAddress(requestHost, TCP_PORT, wsUrl));
    }

    @Override
    public List<GatewayAddress> fallbacks(String clientId, GatewayAddress chosen, int count) {
        return fallbackPorts.stream().limit(count).map(port -> new GatewayAddress(chosen.host(), port, null, true))
                .toList();
    }
}
